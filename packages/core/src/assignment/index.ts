/**
 * Assignments (coursework) of a class. Teachers create, change and delete them; students see
 * the published ones. A class's list is ordered by due date, undated last (gsi1, read
 * eventually consistently like the post stream: a just-created assignment may take a moment
 * to show up in the list on AWS; reading it by id is always up to date).
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { attempts, contended, transactionOutcome } from "../dynamo-errors.ts";
import { conflict, forbidden, notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import {
  DEFAULT_ASSIGNMENT_PAGE,
  DEFAULT_MAX_POINTS,
  MAX_ASSIGNMENT_DESCRIPTION_LENGTH,
  MAX_ASSIGNMENT_PAGE,
  MAX_ASSIGNMENT_TITLE_LENGTH,
  MAX_POINTS,
} from "../limits.ts";
import { classNotWritable, requireWriter, touch, writableClassCheck } from "../class/index.ts";
import { Attachment, FileIds, attachmentWriteNames, attachmentWrites, replaceAttachments, requireAttachable } from "../file/index.ts";
import { type Role, requireMember, requireMemberOr } from "../membership/index.ts";
import { settleAssignment } from "../standing/settle.ts";
import { db } from "../table.ts";
import { ASSIGNMENT_STATES, UNDATED } from "./entity.ts";

export const AssignmentState = z.enum(ASSIGNMENT_STATES).meta({ description: "Students see published assignments only" });

export const Assignment = z
  .object({
    assignment_id: z.string(),
    class_id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    max_points: z.number().int().nullable().meta({ description: "Points the work is graded out of; null when ungraded" }),
    due_at: Timestamp.nullable(),
    state: AssignmentState,
    attachments: z.array(Attachment).meta({ description: "The teacher's materials, in their order; students download them (`GET /files/{file_id}`) once it is published" }),
    created_by: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "Assignment" });
export type Assignment = z.output<typeof Assignment>;

export const AssignmentPage = z
  .object({
    assignments: z.array(Assignment).meta({ description: "By due date, undated last" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next page. null on the last page." }),
  })
  .meta({ id: "AssignmentPage" });

export const assignmentNotFound = () => notFound("assignment.not_found", "No assignment with this id was found.");
const teacherOnly = () => forbidden("class.teacher_only", "Only a teacher of this class can do this.");

const Title = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_ASSIGNMENT_TITLE_LENGTH, `must be at most ${MAX_ASSIGNMENT_TITLE_LENGTH} characters`);
const Description = z.string().trim().max(MAX_ASSIGNMENT_DESCRIPTION_LENGTH, `must be at most ${MAX_ASSIGNMENT_DESCRIPTION_LENGTH} characters`);
const MaxPoints = z
  .number()
  .int("must be a whole number")
  .min(0)
  .max(MAX_POINTS)
  .nullable()
  .meta({ description: `0 to ${MAX_POINTS}; null for ungraded work` });
/** A due time with an explicit offset, stored in UTC. */
export const DueAt = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 time with a time zone, e.g. 2026-03-01T23:59:00Z" })
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 2000 && date.getUTCFullYear() <= 9999, "must be a real time between the years 2000 and 9999")
  .transform((date) => date.toISOString());

export const CreateInput = z.object({
  class_id: Id,
  title: Title,
  description: Description.optional(),
  max_points: MaxPoints.optional().default(DEFAULT_MAX_POINTS),
  due_at: DueAt.nullable().optional(),
  state: AssignmentState.optional().default("published"),
  file_ids: FileIds.optional(),
});

type Stored = NonNullable<Awaited<ReturnType<ReturnType<ReturnType<typeof db>["entities"]["assignment"]["get"]>["go"]>>["data"]>;

export function toAssignment(item: Stored): Assignment {
  return {
    assignment_id: item.assignment_id,
    class_id: item.class_id,
    title: item.title,
    description: item.description ?? null,
    max_points: item.max_points ?? null,
    due_at: item.due_at ?? null,
    state: item.state,
    attachments: item.attachments ?? [],
    created_by: item.created_by,
    created_at: item.created_at,
    updated_at: item.updated_at,
  };
}

/**
 * Creates an assignment in a class (teachers), with the teacher's uploaded materials
 * (`file_ids`). The files are checked before anything is written (a bad one refuses the whole
 * request and stores nothing), then the assignment and its files' marks are written in ONE
 * transaction: there is no moment when the assignment lists a file that does not know it, or
 * the reverse, so a request that fails half way leaves nothing to repair. A retry of a create
 * whose answer was lost finds its files taken by the first one and answers 409
 * `file.already_attached` rather than making a second assignment sharing them.
 */
export const create = fn(CreateInput, Assignment, async (input, actor) => {
  const { role } = await requireWriter(input.class_id, actor);
  if (role !== "teacher") throw teacherOnly();
  const assignment_id = newId();
  const files = { class_id: input.class_id, purpose: "material" as const, actor, parent: { type: "assignment" as const, id: assignment_id } };
  const attachments = await requireAttachable(input.file_ids ?? [], files);
  const now = new Date().toISOString();
  const item = {
    assignment_id,
    class_id: input.class_id,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(input.max_points !== null ? { max_points: input.max_points } : {}),
    ...(input.due_at ? { due_at: input.due_at } : {}),
    due_key: input.due_at ?? UNDATED,
    state: input.state,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
    ...(input.state === "published" ? { published_at: now } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    grade_seq: 0,
  };
  const change = { class_id: input.class_id, parent: files.parent, added: attachments, dropped: [], at: now };
  const result = await db()
    .transaction.write((tx) => [writableClassCheck(tx, input.class_id), tx.assignment.create(item).commit(), ...attachmentWrites(tx, change)])
    .go();
  if (result.canceled) {
    const { failed } = transactionOutcome(result, ["class", "assignment", ...attachmentWriteNames(change)]);
    if (failed.has("class")) throw await classNotWritable(input.class_id);
    // A file attached elsewhere or removed since it was checked: say which way.
    if (failed.has("file")) await requireAttachable(input.file_ids ?? [], files);
    throw contended("class");
  }
  await touch(input.class_id);
  return toAssignment(item);
});

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_ASSIGNMENT_PAGE).default(DEFAULT_ASSIGNMENT_PAGE),
  cursor: Cursor.optional(),
});

/** A class's assignments by due date, undated last; students see the published ones. */
export const list = fn(ListInput, AssignmentPage, async ({ class_id, limit, cursor }, actor) => {
  const role = await requireMember(class_id, actor);
  const scope = `assignments:${class_id}`;
  const after = positionOf(scope, cursor);
  const query = db().entities.assignment.query.byClass({ class_id });
  const ranged = after ? query.gt({ due_key: after.created_at, assignment_id: after.id }) : query;
  const { data } = await ranged
    .where((attr, op) => (role === "teacher" ? op.notExists(attr.deleted_at) : `${op.notExists(attr.deleted_at)} AND ${op.eq(attr.state, "published")}`))
    .go({ order: "asc", limit: limit + 1, count: limit + 1 });
  const page = keysetPage(scope, data, limit, (a) => ({ created_at: a.due_key, id: a.assignment_id }));
  return { assignments: page.items.map(toAssignment), cursor: page.cursor };
});

/** Every live assignment of a class, in list order (for the gradebook and submissions; a few Query pages at most). */
export async function allOfClass(class_id: string): Promise<Assignment[]> {
  const { data } = await db()
    .entities.assignment.query.byClass({ class_id })
    .where((attr, op) => op.notExists(attr.deleted_at))
    .go({ pages: "all" });
  return data.map(toAssignment);
}

export const GetInput = z.object({ assignment_id: Id });

/**
 * An assignment the actor may see, with their role in its class: a member of the class, and
 * for a student a published one. Anything else (deleted, another class's) is `assignment.not_found`.
 */
export async function visibleAssignment(assignmentId: string, actor: Actor): Promise<{ assignment: Stored; role: Role }> {
  const { data } = await db().entities.assignment.get({ assignment_id: assignmentId }).go({ consistent: true });
  if (!data || data.deleted_at) throw assignmentNotFound();
  const role = await requireMemberOr(data.class_id, actor, assignmentNotFound);
  if (role !== "teacher" && data.state !== "published") throw assignmentNotFound();
  return { assignment: data, role };
}

export const get = fn(GetInput, Assignment, async ({ assignment_id }, actor) =>
  toAssignment((await visibleAssignment(assignment_id, actor)).assignment),
);

/** An assignment a teacher of its class may change, in a class that is not archived. */
async function changeableAssignment(assignmentId: string, actor: Actor): Promise<Stored> {
  const { assignment, role } = await visibleAssignment(assignmentId, actor);
  if (role !== "teacher") throw teacherOnly();
  await requireWriter(assignment.class_id, actor);
  return assignment;
}

export const UpdateInput = z.object({
  assignment_id: Id,
  title: Title.optional(),
  description: Description.nullable().optional(),
  max_points: MaxPoints.optional(),
  due_at: DueAt.nullable().optional(),
  state: AssignmentState.optional(),
  file_ids: FileIds.optional().meta({ description: "The materials from now on, replacing the list (files dropped from it are deleted); omit to keep them" }),
});

/** The highest grade (draft or assigned) given on the assignment, or undefined when there is none. */
async function highestGrade(class_id: string, assignment_id: string): Promise<number | undefined> {
  const { data } = await db().entities.submission.query.byClass({ class_id, assignment_id }).go({ pages: "all" });
  const grades = data.flatMap((s) => [s.draft_grade, s.assigned_grade]).filter((g): g is number => g !== undefined);
  return grades.length > 0 ? Math.max(...grades) : undefined;
}

/**
 * A teacher changes an assignment. Lowering `max_points` below a grade already given (draft or
 * assigned), or making graded work ungraded while it has grades, is 409
 * `assignment.grades_above_max`; a published assignment cannot go back to draft (students have
 * seen it). The change is conditioned on no grade having been written since the check.
 *
 * `file_ids` replaces the materials: new files are checked as on create, files no longer listed
 * are marked removed (their downloads stop with this change; the stream consumer deletes their
 * objects). The assignment and every file mark are one transaction, conditioned on the
 * assignment being as read, so two teachers changing the list at once cannot leave a file
 * attached but unlisted: the second re-reads and applies its list to the first one's.
 */
export const update = fn(UpdateInput, Assignment, async (input, actor) => {
  for await (const _attempt of attempts()) {
    const current = await changeableAssignment(input.assignment_id, actor);
    if (input.state === "draft" && current.state === "published") {
      throw conflict("assignment.published", "A published assignment cannot go back to draft.");
    }
    const files = { class_id: current.class_id, purpose: "material" as const, actor, parent: { type: "assignment" as const, id: current.assignment_id } };
    const materials = input.file_ids === undefined ? undefined : await replaceAttachments(input.file_ids, current.attachments ?? [], files);
    const wanted = input.max_points;
    if (wanted !== undefined && current.max_points !== undefined && (wanted === null || wanted < current.max_points)) {
      const highest = await highestGrade(current.class_id, current.assignment_id);
      if (highest !== undefined && (wanted === null || highest > wanted)) {
        throw conflict(
          "assignment.grades_above_max",
          `A grade of ${highest} was already given; the assignment cannot be worth less than that${wanted === null ? " or be ungraded" : ""}.`,
        );
      }
    }
    const now = new Date().toISOString();
    const due_at = input.due_at === undefined ? current.due_at : (input.due_at ?? undefined);
    const next: Stored = {
      ...current,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.state ? { state: input.state } : {}),
      updated_at: now,
      due_key: due_at ?? UNDATED,
    };
    if (due_at) next.due_at = due_at;
    else delete next.due_at;
    if (input.description === null || input.description === "") delete next.description;
    else if (input.description !== undefined) next.description = input.description;
    if (input.max_points === null) delete next.max_points;
    else if (input.max_points !== undefined) next.max_points = input.max_points;
    if (next.state === "published" && !current.published_at) next.published_at = now;
    if (materials && materials.attachments.length > 0) next.attachments = materials.attachments;
    else if (materials) delete next.attachments;
    const cleared = (["description", "max_points", "due_at", "attachments"] as const).filter((key) => current[key] !== undefined && next[key] === undefined);
    const change = { class_id: current.class_id, parent: files.parent, added: materials?.added ?? [], dropped: materials?.dropped ?? [], at: now };

    const result = await db()
      .transaction.write((tx) => {
        const patch = tx.assignment.patch({ assignment_id: current.assignment_id }).set({
          title: next.title,
          state: next.state,
          updated_at: now,
          due_key: next.due_key,
          ...(next.description !== undefined ? { description: next.description } : {}),
          ...(next.max_points !== undefined ? { max_points: next.max_points } : {}),
          ...(next.due_at !== undefined ? { due_at: next.due_at } : {}),
          ...(next.published_at !== undefined ? { published_at: next.published_at } : {}),
          ...(next.attachments !== undefined ? { attachments: next.attachments } : {}),
        });
        return [
          writableClassCheck(tx, current.class_id),
          (cleared.length > 0 ? patch.remove(cleared) : patch)
            .where((attr, op) =>
              [
                op.notExists(attr.deleted_at),
                op.eq(attr.grade_seq, current.grade_seq ?? 0),
                // The materials were computed from the list as read.
                ...(materials ? [op.eq(attr.updated_at, current.updated_at)] : []),
              ].join(" AND "),
            )
            .commit(),
          ...attachmentWrites(tx, change),
        ];
      })
      .go();
    if (!result.canceled) {
      // New points or publishing change what its returned grades count for in standings.
      if (next.max_points !== current.max_points || next.state !== current.state) await settleAssignment(current.assignment_id);
      await touch(current.class_id);
      return toAssignment(next);
    }
    if (transactionOutcome(result, ["class", "assignment", ...attachmentWriteNames(change)]).failed.has("class")) throw await classNotWritable(current.class_id);
    // Deleted, graded or changed meanwhile, or a new file attached elsewhere: look again (and say why).
  }
  throw contended("assignment");
});

export const RemoveInput = z.object({ assignment_id: Id });
export const Removed = z.object({ deleted: z.literal(true) });

/**
 * A teacher deletes an assignment. It is kept, marked deleted, for the audit trail; it and
 * its submissions (and their grades) disappear from every list, the gradebook and the
 * averages at once, because every read of a submission goes through its assignment. The
 * standings, which hold running sums, are settled right after (standing/settle.ts: exactly
 * once per student, finished by the stream consumer if this request dies half way).
 */
export const remove = fn(RemoveInput, Removed, async ({ assignment_id }, actor) => {
  const current = await changeableAssignment(assignment_id, actor);
  const deleted_at = new Date().toISOString();
  const result = await db()
    .transaction.write((tx) => [
      writableClassCheck(tx, current.class_id),
      tx.assignment
        .patch({ assignment_id })
        .set({ deleted_at, deleted_by: actor.userId })
        .add({ grade_seq: 1 })
        .where((attr, op) => op.notExists(attr.deleted_at))
        .commit(),
    ])
    .go();
  if (result.canceled) {
    const outcome = transactionOutcome(result, ["class", "assignment"]);
    if (outcome.failed.has("class")) throw await classNotWritable(current.class_id);
    if (outcome.failed.has("assignment")) throw assignmentNotFound();
    throw contended("assignment");
  }
  await settleAssignment(assignment_id);
  await touch(current.class_id);
  return { deleted: true as const };
});
