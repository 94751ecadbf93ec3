import * as z from "zod";
import type { Actor } from "../actor.ts";
import { contended } from "../dynamo-errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { MAX_CLASS_NAME_LENGTH } from "../limits.ts";
import { Role, classNotFound, requireMember } from "../membership/index.ts";
import { db } from "../table.ts";

export const ClassSummary = z.object({ class_id: z.string(), name: z.string(), role: Role }).meta({ id: "ClassSummary" });
export type ClassSummary = z.output<typeof ClassSummary>;

export const ClassDetail = z
  .object({
    class_id: z.string(),
    name: z.string(),
    created_by: z.string(),
    created_at: Timestamp,
    role: Role,
    message_count: z.number().int(),
  })
  .meta({ id: "Class" });
export type ClassDetail = z.output<typeof ClassDetail>;

export const CreateInput = z.object({
  name: z.string().trim().min(1, "must not be empty").max(MAX_CLASS_NAME_LENGTH, `must be at most ${MAX_CLASS_NAME_LENGTH} characters`),
});

/** Creates a class; its creator becomes its first teacher (both written in one transaction). */
export const create = fn(CreateInput, ClassDetail, async ({ name }, actor) => {
  const class_id = newId();
  const created_at = new Date().toISOString();
  const result = await db()
    .transaction.write(({ class: klass, membership }) => [
      klass.create({ class_id, name, created_by: actor.userId, created_at, message_count: 0 }).commit(),
      membership
        .create({
          class_id,
          user_id: actor.userId,
          role: "teacher",
          user_name: actor.name,
          ...(actor.email ? { user_email: actor.email } : {}),
          class_name: name,
          joined_at: created_at,
        })
        .commit(),
    ])
    .go();
  if (result.canceled) throw contended("class");
  return { class_id, name, created_by: actor.userId, created_at, role: "teacher" as const, message_count: 0 };
});

export const GetInput = z.object({ class_id: Id });

export const get = fn(GetInput, ClassDetail, async ({ class_id }, actor) => {
  const role = await requireMember(class_id, actor);
  const { data } = await db().entities.class.get({ class_id }).go({ consistent: true });
  if (!data) throw classNotFound();
  return {
    class_id,
    name: data.name,
    created_by: data.created_by,
    created_at: data.created_at,
    role,
    message_count: data.message_count ?? 0,
  };
});

export const ClassList = z.array(ClassSummary);

/** The classes the actor belongs to, by name. */
export async function mine(actor: Actor): Promise<ClassSummary[]> {
  const { data } = await db().entities.membership.query.byUser({ user_id: actor.userId }).go({ pages: "all" });
  return data
    .map((m) => ({ class_id: m.class_id, name: m.class_name, role: m.role }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Records that something other than a new message changed in the class (a reaction, a post,
 * a comment), so pollers know to refresh. It is a hint written after the change itself:
 * if it fails, a refresh comes with the next change; nothing is lost and the caller's
 * write still stands, so the error is not passed on (a retry would toggle twice).
 */
export async function touch(class_id: string): Promise<void> {
  await db()
    .entities.class.patch({ class_id })
    .add({ activity_seq: 1 })
    .go()
    .catch(() => undefined);
}

