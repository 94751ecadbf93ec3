/**
 * Who belongs to a class and in which role. Every other module asks here before it reads
 * or writes a class's data. A caller who is not a member gets the same `*.not_found` as
 * for an id that does not exist, so ids of other classes do not leak.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { DomainError, conflict, forbidden, notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { isConditionFailure } from "../dynamo-errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { db } from "../table.ts";
import * as User from "../user/index.ts";
import { ROLES } from "./entity.ts";

export { ROLES };
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES);

export const Member = z
  .object({
    class_id: z.string(),
    user_id: z.string(),
    role: Role,
    user_name: z.string(),
    user_email: z.string().optional(),
    joined_at: Timestamp,
  })
  .meta({ id: "Member" });
export type Member = z.output<typeof Member>;

/** The answer for a class that does not exist and for one the caller is not in: the same, so ids do not leak. */
export const classNotFound = () => notFound("class.not_found", "No class with this id was found.");

export async function roleOf(classId: string, userId: string): Promise<Role | undefined> {
  const { data } = await db().entities.membership.get({ class_id: classId, user_id: userId }).go({ consistent: true });
  return data?.role;
}

/**
 * How long a poll (tRPC `chat.poll`, or a forward list from a cursor or timestamp) may rely
 * on a membership it checked before, per process. A removed member's polls stop within this
 * time; their writes and every other read stop at once.
 */
export const MEMBERSHIP_CACHE_MS = 15_000;
const MAX_CACHED = 50_000;
const recent = new Map<string, { role: Role; at: number }>();

/**
 * The actor's role in the class; `class.not_found` when the class does not exist or they
 * are not in it. With `cacheMs`, a membership confirmed that recently is trusted.
 */
export async function requireMember(classId: string, actor: Actor, options: { cacheMs?: number } = {}): Promise<Role> {
  const key = `${classId}/${actor.userId}`;
  const cached = options.cacheMs ? recent.get(key) : undefined;
  if (cached && Date.now() - cached.at < options.cacheMs!) return cached.role;
  const role = await roleOf(classId, actor.userId);
  if (!role) {
    recent.delete(key);
    throw classNotFound();
  }
  if (recent.size >= MAX_CACHED) recent.clear();
  recent.set(key, { role, at: Date.now() });
  return role;
}

/**
 * For things that live in a class (a message, a post, a comment): the actor's role in the
 * thing's class, or `missing()` when they are not a member, so the thing's id does not leak
 * which class it belongs to.
 */
export async function requireMemberOr(classId: string, actor: Actor, missing: () => DomainError): Promise<Role> {
  try {
    return await requireMember(classId, actor);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw missing();
    throw error;
  }
}

export async function requireTeacher(classId: string, actor: Actor): Promise<void> {
  const role = await requireMember(classId, actor);
  if (role !== "teacher") throw forbidden("class.teacher_only", "Only a teacher of this class can do this.");
}

export const ListMembersInput = z.object({ class_id: Id });

/** Members of a class, teachers first, then by name. Visible to members only. */
export const MemberList = z.array(Member);

export const list = fn(ListMembersInput, MemberList, async ({ class_id }, actor) => {
  await requireMember(class_id, actor);
  const { data } = await db().entities.membership.query.byClass({ class_id }).go({ pages: "all" });
  return data
    .map(toMember)
    .sort((a, b) => (a.role === b.role ? a.user_name.localeCompare(b.user_name) : a.role === "teacher" ? -1 : 1));
});

export const AddMemberInput = z.object({
  class_id: Id,
  email: z.email("must be an email address").max(254),
  role: Role,
});

/**
 * A teacher adds a person (who has signed in at least once) by email, or changes their role.
 * Adding someone already in the class with the same role changes nothing.
 */
export const add = fn(AddMemberInput, Member, async ({ class_id, email, role }, actor) => {
  await requireTeacher(class_id, actor);
  const user = await User.byEmail(email);
  if (!user) throw notFound("user.not_found", "Nobody with this email has signed in to Classroom yet.");
  const klass = await db().entities.class.get({ class_id }).go({ consistent: true });
  if (!klass.data) throw classNotFound();
  const existing = await db().entities.membership.get({ class_id, user_id: user.user_id }).go({ consistent: true });
  if (existing.data) {
    if (existing.data.role === role) return toMember(existing.data);
    if (user.user_id === actor.userId) throw conflict("membership.own_role", "You cannot change your own role.");
    const { data } = await db()
      .entities.membership.patch({ class_id, user_id: user.user_id })
      .set({ role })
      .go({ response: "all_new" })
      .catch(changedMeanwhile);
    return toMember(data);
  }
  const { data } = await db()
    .entities.membership.create({
      class_id,
      user_id: user.user_id,
      role,
      user_name: user.name,
      user_email: user.email,
      class_name: klass.data.name,
      joined_at: new Date().toISOString(),
    })
    .go()
    .catch(changedMeanwhile);
  return toMember(data);
});

/** A concurrent add or remove of the same person won the race. */
function changedMeanwhile(error: unknown): never {
  if (isConditionFailure(error)) throw conflict("membership.changed", "This membership was just changed by someone else. Reload and try again.");
  throw error;
}

export const RemoveMemberInput = z.object({ class_id: Id, user_id: Id });

/** A teacher removes someone from the class. Teachers cannot remove themselves (a class keeps its teacher). */
export const Removed = z.object({ removed: z.boolean() });

export const remove = fn(RemoveMemberInput, Removed, async ({ class_id, user_id }, actor) => {
  await requireTeacher(class_id, actor);
  if (user_id === actor.userId) throw conflict("membership.remove_self", "You cannot remove yourself from your own class.");
  const existing = await db().entities.membership.get({ class_id, user_id }).go({ consistent: true });
  if (!existing.data) throw notFound("membership.not_found", "This person is not a member of the class.");
  await db().entities.membership.delete({ class_id, user_id }).go();
  recent.delete(`${class_id}/${user_id}`);
  return { removed: true };
});

export function toMember(item: {
  class_id: string;
  user_id: string;
  role: Role;
  user_name: string;
  user_email?: string | undefined;
  joined_at: string;
}): Member {
  return {
    class_id: item.class_id,
    user_id: item.user_id,
    role: item.role,
    user_name: item.user_name,
    ...(item.user_email ? { user_email: item.user_email } : {}),
    joined_at: item.joined_at,
  };
}
