/**
 * Classes: creating, reading, changing and deleting them, joining one by its enrollment code,
 * and the one check every write in a class goes through (`requireWriter`).
 *
 * - A class is `active` or `archived`. An archived class is read-only: every write in it
 *   answers 409 `class.archived` (a teacher may still restore or delete it).
 * - Deleting a class marks its item deleted (kept for the audit trail) and deletes its
 *   memberships, which are what grant access: afterwards the class is 404 for everyone.
 * - Each membership keeps a copy of the class's name, section and state for "my classes"
 *   (one Query). A change to them bumps the class's `revision` and then rewrites the copies,
 *   each only if it is older, so concurrent changes settle on the newest.
 * - Enrollment codes are unique: a code item is created, only if absent, in the same
 *   transaction that gives the code to a class.
 */
import { randomInt } from "node:crypto";
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { attempts, contended, transactionOutcome } from "../dynamo-errors.ts";
import { DomainError, conflict, notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import {
  ENROLLMENT_CODE_ALPHABET,
  ENROLLMENT_CODE_LENGTH,
  MAX_CLASS_DESCRIPTION_LENGTH,
  MAX_CLASS_NAME_LENGTH,
  MAX_CLASS_ROOM_LENGTH,
  MAX_CLASS_SECTION_LENGTH,
} from "../limits.ts";
import { Role, classNotFound, requireMember } from "../membership/index.ts";
import * as RateLimit from "../ratelimit/index.ts";
import { membershipStanding, readStanding, rekey } from "../standing/ledger.ts";
import { db } from "../table.ts";
import { CLASS_STATES, STREAM_POLICIES } from "./entity.ts";
import { classArchived, stateOf, unwritable } from "./state.ts";

export const StreamPolicy = z.enum(STREAM_POLICIES).meta({
  description: "Who may post to the stream: everyone, everyone but students only comment, or teachers only",
});
export type StreamPolicy = z.output<typeof StreamPolicy>;
export const ClassState = z.enum(CLASS_STATES).meta({ description: "An archived class is read-only" });
export type ClassState = z.output<typeof ClassState>;

export const ClassSummary = z
  .object({ class_id: z.string(), name: z.string(), section: z.string().nullable(), role: Role, state: ClassState })
  .meta({ id: "ClassSummary" });
export type ClassSummary = z.output<typeof ClassSummary>;

export const ClassDetail = z
  .object({
    class_id: z.string(),
    name: z.string(),
    section: z.string().nullable(),
    description: z.string().nullable(),
    room: z.string().nullable(),
    stream_policy: StreamPolicy,
    show_rank_to_students: z.boolean().meta({ description: "Whether students see their rank in the class; they always see their own average" }),
    state: ClassState,
    created_by: z.string(),
    created_at: Timestamp,
    role: Role,
    message_count: z.number().int(),
    enrollment_code: z.string().optional().meta({ description: "Students join with it. Shown to teachers only.", example: "K7M4QXR" }),
  })
  .meta({ id: "Class" });
export type ClassDetail = z.output<typeof ClassDetail>;

export { classArchived, unwritable };
export const codeNotFound = () =>
  notFound("class.code_not_found", "No class can be joined with this code. Check it with your teacher.");

/** A stored class item, as ElectroDB reads it. */
type StoredClass = NonNullable<Awaited<ReturnType<ReturnType<ReturnType<typeof db>["entities"]["class"]["get"]>["go"]>>["data"]>;

async function storedClass(class_id: string): Promise<StoredClass | undefined> {
  const { data } = await db().entities.class.get({ class_id }).go({ consistent: true });
  return data && !data.deleted_at ? data : undefined;
}

function toDetail(klass: StoredClass, role: Role): ClassDetail {
  return {
    class_id: klass.class_id,
    name: klass.name,
    section: klass.section ?? null,
    description: klass.description ?? null,
    room: klass.room ?? null,
    stream_policy: klass.stream_policy ?? "all_members",
    show_rank_to_students: klass.show_rank_to_students ?? false,
    state: stateOf(klass),
    created_by: klass.created_by,
    created_at: klass.created_at,
    role,
    message_count: klass.message_count ?? 0,
    ...(role === "teacher" && klass.enrollment_code ? { enrollment_code: klass.enrollment_code } : {}),
  };
}

/** What a write in a class may rely on: the actor's role and the class's stream policy. */
export interface Writer {
  role: Role;
  stream_policy: StreamPolicy;
}

/**
 * THE check before any write in a class: the actor is a member (else `class.not_found`, as
 * for a class that does not exist) and the class is neither deleted (`class.not_found`) nor
 * archived (409 `class.archived`). Returns the actor's role and the class's stream policy.
 */
export async function requireWriter(classId: string, actor: Actor): Promise<Writer> {
  const [role, klass] = await Promise.all([requireMember(classId, actor), storedClass(classId)]);
  if (!klass) throw classNotFound();
  if (stateOf(klass) === "archived") throw classArchived();
  return { role, stream_policy: klass.stream_policy ?? "all_members" };
}

/**
 * The class half of `requireWriter`, for writes that check the membership themselves (they
 * need more of it than the role): the class exists and is not archived.
 */
export async function requireWritableClass(classId: string): Promise<Writer["stream_policy"]> {
  const klass = await storedClass(classId);
  if (!klass) throw classNotFound();
  if (stateOf(klass) === "archived") throw classArchived();
  return klass.stream_policy ?? "all_members";
}

/** The entities as a `db().transaction.write` callback receives them. */
export type Transaction = Parameters<Parameters<ReturnType<typeof db>["transaction"]["write"]>[0]>[0];

/**
 * A transaction's condition that the class is still writable (not deleted, not archived), for
 * writes that must not land in a class archived or deleted after `requireWriter` ran.
 */
export function writableClassCheck(tx: Transaction, class_id: string) {
  return tx.class
    .check({ class_id })
    .where((attr, op) => `${op.exists(attr.class_id)} AND ${op.notExists(attr.deleted_at)} AND ${op.ne(attr.state, "archived")}`)
    .commit();
}

/** After a failed `writableClassCheck`: the error that explains it. */
export async function classNotWritable(classId: string): Promise<DomainError> {
  const klass = await storedClass(classId);
  return klass ? classArchived() : classNotFound();
}

// ---------------------------------------------------------------------------------------------
// Create, read

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((value) => (value === "" ? undefined : value));
/** In a change: a new text, or null (or "") to clear it. */
const clearableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .optional()
    .transform((value) => (value === "" ? null : value));
const ClassName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_CLASS_NAME_LENGTH, `must be at most ${MAX_CLASS_NAME_LENGTH} characters`);

export const CreateInput = z.object({
  name: ClassName,
  section: optionalText(MAX_CLASS_SECTION_LENGTH),
  description: optionalText(MAX_CLASS_DESCRIPTION_LENGTH),
  room: optionalText(MAX_CLASS_ROOM_LENGTH),
});

export function newEnrollmentCode(): string {
  let code = "";
  for (let i = 0; i < ENROLLMENT_CODE_LENGTH; i++) code += ENROLLMENT_CODE_ALPHABET[randomInt(ENROLLMENT_CODE_ALPHABET.length)];
  return code;
}

/** Tries a few fresh codes: with 31^7 possible codes a collision is rare, two in a row rarer still. */
const CODE_TRIES = 5;

/** Creates a class with a fresh enrollment code; its creator becomes its first teacher (one transaction). */
export const create = fn(CreateInput, ClassDetail, async ({ name, section, description, room }, actor) => {
  const class_id = newId();
  const created_at = new Date().toISOString();
  for (let n = 0; n < CODE_TRIES; n++) {
    const code = newEnrollmentCode();
    const klass = {
      class_id,
      name,
      ...(section ? { section } : {}),
      ...(description ? { description } : {}),
      ...(room ? { room } : {}),
      stream_policy: "all_members" as const,
      state: "active" as const,
      enrollment_code: code,
      revision: 0,
      created_by: actor.userId,
      created_at,
      message_count: 0,
    };
    const result = await db()
      .transaction.write(({ class: classes, enrollmentCode, membership }) => [
        classes.create(klass).commit(),
        enrollmentCode.create({ code, class_id, created_at }).commit(),
        membership
          .create({
            class_id,
            user_id: actor.userId,
            role: "teacher",
            user_name: actor.name,
            ...(actor.email ? { user_email: actor.email } : {}),
            ...copiesOf(klass),
            joined_at: created_at,
          })
          .commit(),
      ])
      .go();
    if (!result.canceled) return toDetail(klass, "teacher");
    if (!transactionOutcome(result, ["class", "code", "membership"]).failed.has("code")) break;
  }
  throw contended("class");
});

export const GetInput = z.object({ class_id: Id });

/** A class the actor belongs to; its enrollment code only for teachers. */
export const get = fn(GetInput, ClassDetail, async ({ class_id }, actor) => {
  const [role, klass] = await Promise.all([requireMember(class_id, actor), storedClass(class_id)]);
  if (!klass) throw classNotFound();
  return toDetail(klass, role);
});

export const ClassList = z.array(ClassSummary);

/**
 * The classes the actor belongs to, active ones first, each group by name: one Query of the
 * actor's memberships, which carry a copy of each class's name, section and state. A membership
 * written without a copy's revision (added by a teacher or from an invitation) may hold an
 * older copy, so for those the class items themselves are read (one batch).
 */
export async function mine(actor: Actor): Promise<ClassSummary[]> {
  const { data } = await db().entities.membership.query.byUser({ user_id: actor.userId }).go({ pages: "all" });
  const unversioned = data.filter((m) => m.class_seq === undefined).map((m) => ({ class_id: m.class_id }));
  const fresh = new Map<string, StoredClass>();
  const unread = new Set<string>();
  if (unversioned.length > 0) {
    const { data: classes, unprocessed } = await db().entities.class.get(unversioned).go({ consistent: true });
    for (const klass of classes) fresh.set(klass.class_id, klass);
    for (const key of unprocessed) unread.add(key.class_id);
  }
  const live = (m: { class_id: string; class_seq?: number | undefined }) =>
    m.class_seq !== undefined || unread.has(m.class_id) || (fresh.has(m.class_id) && !fresh.get(m.class_id)!.deleted_at);
  return data
    .filter(live)
    .map((m) => {
      const klass = fresh.get(m.class_id);
      const state = klass ? stateOf(klass) : m.class_state === "archived" ? "archived" : "active";
      return {
        class_id: m.class_id,
        name: klass?.name ?? m.class_name,
        section: (klass ? klass.section : m.class_section) ?? null,
        role: m.role,
        state,
      };
    })
    .sort((a, b) => (a.state === b.state ? a.name.localeCompare(b.name) : a.state === "active" ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Change, delete

/** The class fields each membership keeps a copy of, with the revision they are from. */
function copiesOf(klass: { name: string; section?: string | undefined; state?: ClassState | undefined; revision?: number | undefined }) {
  return {
    class_name: klass.name,
    ...(klass.section ? { class_section: klass.section } : {}),
    class_state: stateOf(klass),
    class_seq: klass.revision ?? 0,
  };
}

/** How many membership copies are rewritten at once. */
const COPY_WIDTH = 8;

/**
 * Brings every membership's copy of the class up to `klass` (at its revision). A copy from a
 * newer revision is left alone, as is a membership deleted meanwhile.
 */
async function refreshCopies(klass: { class_id: string; name: string; section?: string | undefined; state?: ClassState | undefined; revision: number }) {
  const { data } = await db().entities.membership.query.byClass({ class_id: klass.class_id }).go({ pages: "all" });
  const stale = data.filter((m) => (m.class_seq ?? -1) < klass.revision);
  const copies = copiesOf(klass);
  for (let i = 0; i < stale.length; i += COPY_WIDTH) {
    await Promise.all(
      stale.slice(i, i + COPY_WIDTH).map((m) => {
        const patch = db().entities.membership.patch({ class_id: m.class_id, user_id: m.user_id });
        const set = patch.set({ class_name: copies.class_name, class_state: copies.class_state, class_seq: copies.class_seq });
        return (copies.class_section ? set.set({ class_section: copies.class_section }) : set.remove(["class_section"]))
          .where((attr, op) => `${op.notExists(attr.class_seq)} OR ${op.lt(attr.class_seq, klass.revision)}`)
          .go()
          .catch(() => undefined);
      }),
    );
  }
}

export const UpdateInput = z.object({
  class_id: Id,
  name: ClassName.optional(),
  section: clearableText(MAX_CLASS_SECTION_LENGTH),
  description: clearableText(MAX_CLASS_DESCRIPTION_LENGTH),
  room: clearableText(MAX_CLASS_ROOM_LENGTH),
  stream_policy: StreamPolicy.optional(),
  show_rank_to_students: z.boolean().optional(),
  state: ClassState.optional(),
  reset_code: z.literal(true).optional().meta({ description: "Replace the enrollment code with a new one (the old one stops working)" }),
});

/**
 * A teacher changes the class's settings, archives or restores it, or resets its code. In an
 * archived class only a restore (`state: "active"`, with any other changes) is accepted.
 */
export const update = fn(UpdateInput, ClassDetail, async (input, actor) => {
  const { class_id } = input;
  await requireTeacherOf(class_id, actor);
  for await (const _attempt of attempts()) {
    const klass = await storedClass(class_id);
    if (!klass) throw classNotFound();
    if (stateOf(klass) === "archived" && input.state !== "active") throw classArchived();
    const revision = (klass.revision ?? 0) + 1;
    const next: StoredClass = {
      ...klass,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.stream_policy ? { stream_policy: input.stream_policy } : {}),
      ...(input.show_rank_to_students !== undefined ? { show_rank_to_students: input.show_rank_to_students } : {}),
      ...(input.state ? { state: input.state } : {}),
      revision,
      updated_at: new Date().toISOString(),
    };
    for (const key of ["section", "description", "room"] as const) {
      const value = input[key];
      if (value === null) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    const oldCode = klass.enrollment_code;
    const newCode = input.reset_code ? newEnrollmentCode() : undefined;
    if (newCode) next.enrollment_code = newCode;
    const cleared = (["section", "description", "room"] as const).filter((key) => klass[key] !== undefined && next[key] === undefined);

    const result = await db()
      .transaction.write(({ class: classes, enrollmentCode }) => {
        const patch = classes.patch({ class_id }).set({
          name: next.name,
          ...(next.section !== undefined ? { section: next.section } : {}),
          ...(next.description !== undefined ? { description: next.description } : {}),
          ...(next.room !== undefined ? { room: next.room } : {}),
          stream_policy: next.stream_policy ?? "all_members",
          ...(next.show_rank_to_students !== undefined ? { show_rank_to_students: next.show_rank_to_students } : {}),
          state: stateOf(next),
          revision,
          updated_at: next.updated_at!,
          ...(newCode ? { enrollment_code: newCode } : {}),
        });
        const withCleared = cleared.length > 0 ? patch.remove(cleared) : patch;
        return [
          withCleared
            .where((attr, op) =>
              [
                op.notExists(attr.deleted_at),
                klass.revision === undefined ? op.notExists(attr.revision) : op.eq(attr.revision, klass.revision),
              ].join(" AND "),
            )
            .commit(),
          ...(newCode
            ? [
                enrollmentCode.create({ code: newCode, class_id, created_at: next.updated_at! }).commit(),
                ...(oldCode
                  ? [enrollmentCode.delete({ code: oldCode }).where((attr, op) => op.eq(attr.class_id, class_id)).commit()]
                  : []),
              ]
            : []),
        ];
      })
      .go();
    if (!result.canceled) {
      const copied = klass.name !== next.name || klass.section !== next.section || stateOf(klass) !== stateOf(next);
      if (copied) await refreshCopies({ ...next, revision });
      await touch(class_id);
      return toDetail(next, "teacher");
    }
    // Changed meanwhile (or the new code is taken): read again and retry.
  }
  throw contended("class");
});

async function requireTeacherOf(class_id: string, actor: Actor): Promise<void> {
  const role = await requireMember(class_id, actor);
  if (role !== "teacher") throw new DomainError("forbidden", "class.teacher_only", "Only a teacher of this class can do this.");
}

export const RemoveInput = z.object({ class_id: Id });
export const Removed = z.object({ deleted: z.literal(true) });

/** How many memberships one BatchWriteItem deletes. */
const DELETE_BATCH = 25;

/**
 * A teacher deletes the class: it is marked deleted (and its code freed) in one transaction,
 * then every membership is deleted, the actor's own last. If that is interrupted, the same
 * teacher can simply delete again to finish it.
 */
export const remove = fn(RemoveInput, Removed, async ({ class_id }, actor) => {
  await requireTeacherOf(class_id, actor);
  const { data: klass } = await db().entities.class.get({ class_id }).go({ consistent: true });
  if (!klass) throw classNotFound();
  if (!klass.deleted_at) {
    const deleted_at = new Date().toISOString();
    const result = await db()
      .transaction.write(({ class: classes, enrollmentCode }) => [
        classes
          .patch({ class_id })
          .set({ deleted_at, deleted_by: actor.userId })
          .where((attr, op) => op.notExists(attr.deleted_at))
          .commit(),
        ...(klass.enrollment_code
          ? [enrollmentCode.delete({ code: klass.enrollment_code }).where((attr, op) => op.eq(attr.class_id, class_id)).commit()]
          : []),
      ])
      .go();
    // A lost condition means a concurrent delete got there first: finish the work all the same.
    if (result.canceled && !transactionOutcome(result, ["class", "code"]).failed.has("class")) throw contended("class");
  }
  const { data: members } = await db().entities.membership.query.byClass({ class_id }).go({ pages: "all" });
  const others = members.filter((m) => m.user_id !== actor.userId).map((m) => ({ class_id, user_id: m.user_id }));
  for (let i = 0; i < others.length; i += DELETE_BATCH) {
    const { unprocessed } = await db().entities.membership.delete(others.slice(i, i + DELETE_BATCH)).go();
    if (unprocessed.length > 0) await db().entities.membership.delete(unprocessed).go();
  }
  await db().entities.membership.delete({ class_id, user_id: actor.userId }).go();
  return { deleted: true as const };
});

// ---------------------------------------------------------------------------------------------
// Joining by code

export const EnrollmentCode = z
  .string()
  .max(32)
  .transform((value) => value.replace(/[\s-]/g, "").toUpperCase())
  .refine(
    (value) => value.length === ENROLLMENT_CODE_LENGTH && [...value].every((c) => ENROLLMENT_CODE_ALPHABET.includes(c)),
    `must be ${ENROLLMENT_CODE_LENGTH} letters and digits, as your teacher gave it`,
  );

export const JoinInput = z.object({ enrollment_code: EnrollmentCode });

/**
 * Joins the class with this enrollment code as a student. Joining a class one is already a
 * student of changes nothing; a teacher of it gets 409 `class.already_teacher`.
 *
 * Guessing codes is an attack, so a code that does not work answers the same 404
 * `class.code_not_found` whether no class has it, its class was deleted (codes are freed) or
 * archived (archived classes take nobody new), and each user has `LIMITS.join` attempts that
 * do not succeed per window (then 429 with Retry-After).
 */
export const join = fn(JoinInput, ClassDetail, async ({ enrollment_code }, actor) => {
  const now = Date.now();
  await RateLimit.consume(actor.userId, "join", now);
  const succeeded = <T>(value: T) => RateLimit.refund(actor.userId, "join", now).then(() => value);
  for await (const _attempt of attempts()) {
    const { data: code } = await db().entities.enrollmentCode.get({ code: enrollment_code }).go({ consistent: true });
    const klass = code ? await storedClass(code.class_id) : undefined;
    if (!klass || klass.enrollment_code !== enrollment_code || stateOf(klass) !== "active") throw codeNotFound();
    const class_id = klass.class_id;
    const { data: existing } = await db().entities.membership.get({ class_id, user_id: actor.userId }).go({ consistent: true });
    if (existing?.role === "teacher") {
      await succeeded(undefined);
      throw conflict("class.already_teacher", "You teach this class, so you cannot join it as a student.");
    }
    if (existing) return succeeded(toDetail(klass, existing.role));
    // A student coming back to the class takes their standing back into the ranking.
    const standing = await readStanding({ class_id, student_id: actor.userId });
    const joined_at = new Date().toISOString();
    const result = await db()
      .transaction.write((tx) => [
        tx.class
          .check({ class_id })
          .where((attr, op) =>
            [
              op.notExists(attr.deleted_at),
              op.eq(attr.enrollment_code, enrollment_code),
              klass.revision === undefined ? op.notExists(attr.revision) : op.eq(attr.revision, klass.revision),
            ].join(" AND "),
          )
          .commit(),
        tx.membership
          .create({
            class_id,
            user_id: actor.userId,
            role: "student",
            user_name: actor.name,
            ...(actor.email ? { user_email: actor.email } : {}),
            ...copiesOf(klass),
            joined_at,
          })
          .commit(),
        membershipStanding(tx, { class_id, student_id: actor.userId }, standing, { active: true, name: actor.name }, joined_at),
      ])
      .go();
    if (!result.canceled) {
      await rekey({ class_id, student_id: actor.userId });
      return succeeded(toDetail(klass, "student"));
    }
    // The class changed (renamed, archived, deleted, new code), the membership appeared or the standing changed: look again.
  }
  throw contended("class");
});

// ---------------------------------------------------------------------------------------------

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
    .set({ activity_at: new Date().toISOString() })
    .go()
    .catch(() => undefined);
}
