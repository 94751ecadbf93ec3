/**
 * Submissions and grades, with Google Classroom's states:
 *
 *   new ──turn in──▶ turned_in ──return──▶ returned ──turn in──▶ turned_in
 *                      │   ▲
 *               reclaim│   │turn in
 *                      ▼   │
 *                    reclaimed
 *
 * (a teacher may also return, and grade, work in any state: "new" work returned is marked
 * missing work handed back). One submission per (assignment, student); a student who never
 * opened the assignment has no item and reads as `new`, with the same `submission_id`
 * (`<assignment_id>_<student_id>`), so a teacher can grade them too.
 *
 * Grades: `draft_grade` is the teacher's private grade; `assigned_grade` is the one the
 * student sees. Returning makes the draft the assigned grade (the "score update"); setting
 * `assigned_grade` directly is a regrade. Students never see draft grades, nor anyone else's
 * submission.
 *
 * Every change is ONE transaction: the submission write, conditioned on the version it was
 * computed from (and so on its state), together with conditions that the class is writable,
 * the assignment is still there, and the student still in the class. A grade also bumps the
 * assignment's `grade_seq` conditioned on the `max_points` it was checked against, so a grade
 * and a lowering of `max_points` cannot both pass. Concurrent calls therefore serialize: one
 * wins, the other re-reads and either applies to the new state or is refused.
 *
 * Standings: a change that makes the work count, count differently or stop counting for the
 * student's standing (standing/ledger.ts) moves the standing in the same transaction, which
 * is then also conditioned on the assignment's points and state it was computed with.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { attempts, contended, transactionOutcome } from "../dynamo-errors.ts";
import { DomainError, badRequest, conflict, forbidden, notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { MAX_POINTS, MAX_SUBMISSION_TEXT_LENGTH } from "../limits.ts";
import { assignmentNotFound, visibleAssignment } from "../assignment/index.ts";
import { type Transaction, classNotWritable, requireWriter, touch, writableClassCheck } from "../class/index.ts";
import { Attachment, FileIds, attachmentWrites, replaceAttachments } from "../file/index.ts";
import { type CountedSubmission, type ScoredAssignment, contribution, moveStanding, readStanding, rekey } from "../standing/ledger.ts";
import { db } from "../table.ts";
import { SUBMISSION_STATES } from "./entity.ts";

export const SubmissionState = z.enum(SUBMISSION_STATES);
export type SubmissionState = z.output<typeof SubmissionState>;

const Grade = z.number().nullable();

export const Submission = z
  .object({
    submission_id: z.string(),
    assignment_id: z.string(),
    class_id: z.string(),
    student_id: z.string(),
    student_name: z.string(),
    state: SubmissionState,
    late: z.boolean().meta({ description: "Turned in after the due time" }),
    missing: z.boolean().meta({ description: "Past the due time and not turned in (new or reclaimed)" }),
    text: z.string().nullable().meta({ description: "What the student turned in" }),
    attachments: z.array(Attachment).meta({ description: "The files the student turned in (seen by them and the class's teachers)" }),
    turned_in_at: Timestamp.nullable(),
    returned_at: Timestamp.nullable(),
    assigned_grade: Grade.meta({ description: "The grade the student sees" }),
    draft_grade: Grade.optional().meta({ description: "The teacher's private grade, not yet returned. Present for teachers only." }),
    updated_at: Timestamp.nullable(),
  })
  .meta({ id: "Submission" });
export type Submission = z.output<typeof Submission>;

export const SubmissionList = z
  .object({ submissions: z.array(Submission).meta({ description: "Teachers: one per student of the class, by name. Students: their own." }) })
  .meta({ id: "SubmissionList" });

export const submissionNotFound = () => notFound("submission.not_found", "No submission with this id was found.");
const studentsOnly = () => forbidden("submission.students_only", "Only students of the class turn in work.");
const teacherOnly = () => forbidden("class.teacher_only", "Only a teacher of this class can do this.");

/** `<assignment_id>_<student_id>`: a submission's id, known before the student ever opens the work. */
export const submissionId = (assignment_id: string, student_id: string) => `${assignment_id}_${student_id}`;

/** The assignment and student a submission id names, or undefined when it is not one. */
function parseSubmissionId(value: string): { assignment_id: string; student_id: string } | undefined {
  const split = value.indexOf("_");
  const assignment_id = Id.safeParse(value.slice(0, split));
  const student_id = Id.safeParse(value.slice(split + 1));
  return split > 0 && assignment_id.success && student_id.success ? { assignment_id: assignment_id.data, student_id: student_id.data } : undefined;
}

const SubmissionIdInput = z
  .string()
  .trim()
  .max(140, "is too long")
  .refine((value) => parseSubmissionId(value) !== undefined, "is not a valid submission id")
  .meta({ description: "A submission's id, as the submission lists give it", example: "01JB8Z6K3Q2X9T7V5N4M3C2B1A_5f0c8a2e-4b1d-4c7e-9a3f-2d6b8e1c0f4a" });

type StoredSubmission = NonNullable<Awaited<ReturnType<ReturnType<ReturnType<typeof db>["entities"]["submission"]["get"]>["go"]>>["data"]>;
type StoredAssignment = Awaited<ReturnType<typeof visibleAssignment>>["assignment"];

interface Key {
  class_id: string;
  assignment_id: string;
  student_id: string;
}

async function readSubmission(key: Key): Promise<StoredSubmission | undefined> {
  const { data } = await db().entities.submission.get(key).go({ consistent: true });
  return data ?? undefined;
}

async function readText(key: Key): Promise<string | null> {
  const { data } = await db().entities.submissionWork.get(key).go({ consistent: true });
  return data?.text ?? null;
}

const isPast = (due_at: string | undefined, now = Date.now()) => due_at !== undefined && Date.parse(due_at) < now;

/** A submission as `viewer` may see it: teachers get the draft grade, students never do. */
export function toSubmission(
  key: Key,
  item: StoredSubmission | undefined,
  context: { student_name: string; due_at: string | undefined; text: string | null; viewer: "teacher" | "student" },
): Submission {
  const state = item?.state ?? "new";
  return {
    submission_id: submissionId(key.assignment_id, key.student_id),
    assignment_id: key.assignment_id,
    class_id: key.class_id,
    student_id: key.student_id,
    student_name: context.student_name,
    state,
    late: item?.late ?? false,
    missing: (state === "new" || state === "reclaimed") && isPast(context.due_at),
    text: context.text,
    attachments: item?.attachments ?? [],
    turned_in_at: item?.turned_in_at ?? null,
    returned_at: item?.returned_at ?? null,
    assigned_grade: item?.assigned_grade ?? null,
    ...(context.viewer === "teacher" ? { draft_grade: item?.draft_grade ?? null } : {}),
    updated_at: item?.updated_at ?? null,
  };
}

/** The transaction's condition that the student is still a student of the class. */
const studentCheck = (tx: Transaction, key: Key) =>
  tx.membership
    .check({ class_id: key.class_id, user_id: key.student_id })
    .where((attr, op) => op.eq(attr.role, "student"))
    .commit();

/** The transaction's condition that the assignment is still there (and, for students, published). */
const assignmentCheck = (tx: Transaction, assignment_id: string, published: boolean) =>
  tx.assignment
    .check({ assignment_id })
    .where((attr, op) =>
      published
        ? `${op.exists(attr.assignment_id)} AND ${op.notExists(attr.deleted_at)} AND ${op.eq(attr.state, "published")}`
        : `${op.exists(attr.assignment_id)} AND ${op.notExists(attr.deleted_at)}`,
    )
    .commit();

/** What a canceled transaction's class, assignment and student conditions mean, in that order of precedence. */
async function explain(
  result: Parameters<typeof transactionOutcome>[0],
  names: readonly string[],
  class_id: string,
  missing: () => DomainError,
): Promise<DomainError | undefined> {
  const { failed } = transactionOutcome(result, names);
  if (failed.has("class")) return classNotWritable(class_id);
  if (failed.has("assignment") || failed.has("student")) return missing();
  return undefined;
}

/**
 * What a change of a submission (`item` as read → `next`) does to the student's standing: the
 * submission's new `counted`, and the standing as read when it moves (`standingItem` builds
 * the transaction's standing item, or nothing; `rekey` follows a committed move).
 */
async function recount(key: Key, item: StoredSubmission | undefined, next: CountedSubmission, assignment: ScoredAssignment, student_name: string) {
  const counted = contribution(next, assignment);
  const moves = counted !== item?.counted;
  const standing = moves ? await readStanding({ class_id: key.class_id, student_id: key.student_id }) : undefined;
  const standingItem = (tx: Transaction, now: string) => {
    const write = moves
      ? moveStanding(tx, { class_id: key.class_id, student_id: key.student_id }, standing, { from: item?.counted, to: counted }, { name: student_name, active: true }, now)
      : undefined;
    return write ? [write] : [];
  };
  const standingKey = { class_id: key.class_id, student_id: key.student_id };
  /** `counted` to set on the submission, and whether to remove it instead. */
  return {
    counted: counted !== undefined ? { counted } : {},
    uncount: counted === undefined && item?.counted !== undefined,
    standingItem,
    rekey: () => (moves ? rekey(standingKey) : Promise.resolve()),
  };
}

/** The transaction's condition that the assignment is still there with the points and state a standing was computed with. */
const scoredAssignmentCheck = (tx: Transaction, assignment: StoredAssignment) =>
  tx.assignment
    .check({ assignment_id: assignment.assignment_id })
    .where((attr, op) =>
      [
        op.exists(attr.assignment_id),
        op.notExists(attr.deleted_at),
        assignment.max_points === undefined ? op.notExists(attr.max_points) : op.eq(attr.max_points, assignment.max_points),
        op.eq(attr.state, assignment.state),
      ].join(" AND "),
    )
    .commit();

// ---------------------------------------------------------------------------------------------
// Reading

export const ListInput = z.object({ assignment_id: Id });

/** Teachers: one row per student of the class, by name (including those who never opened it). Students: their own. */
export const list = fn(ListInput, SubmissionList, async ({ assignment_id }, actor) => {
  const { assignment, role } = await visibleAssignment(assignment_id, actor);
  const class_id = assignment.class_id;
  if (role !== "teacher") {
    const key = { class_id, assignment_id, student_id: actor.userId };
    const [item, text] = await Promise.all([readSubmission(key), readText(key)]);
    return { submissions: [toSubmission(key, item, { student_name: actor.name, due_at: assignment.due_at, text, viewer: "student" })] };
  }
  const [members, items, works] = await Promise.all([
    db().entities.membership.query.byClass({ class_id }).go({ pages: "all" }),
    db().entities.submission.query.byClass({ class_id, assignment_id }).go({ pages: "all" }),
    db().entities.submissionWork.query.byClass({ class_id, assignment_id }).go({ pages: "all" }),
  ]);
  const byStudent = new Map(items.data.map((s) => [s.student_id, s]));
  const textOf = new Map(works.data.map((w) => [w.student_id, w.text]));
  return {
    submissions: members.data
      .filter((m) => m.role === "student")
      .sort((a, b) => a.user_name.localeCompare(b.user_name))
      .map((m) => {
        const key = { class_id, assignment_id, student_id: m.user_id };
        return toSubmission(key, byStudent.get(m.user_id), {
          student_name: m.user_name,
          due_at: assignment.due_at,
          text: textOf.get(m.user_id) ?? null,
          viewer: "teacher",
        });
      }),
  };
});

// ---------------------------------------------------------------------------------------------
// Students: turn in, reclaim

export const TurnInInput = z.object({
  assignment_id: Id,
  text: z
    .string()
    .max(MAX_SUBMISSION_TEXT_LENGTH, `must be at most ${MAX_SUBMISSION_TEXT_LENGTH} characters`)
    .transform((value) => value.trim())
    .optional(),
  file_ids: FileIds.optional().meta({
    description: "Your uploaded work (purpose `submission`), replacing the files turned in before (those dropped are deleted); omit to keep them",
  }),
});

/** A student's own work on a published assignment of a writable class. */
async function ownWork(assignment_id: string, actor: Actor): Promise<{ assignment: StoredAssignment; key: Key }> {
  const { assignment, role } = await visibleAssignment(assignment_id, actor);
  if (role !== "student") throw studentsOnly();
  await requireWriter(assignment.class_id, actor);
  return { assignment, key: { class_id: assignment.class_id, assignment_id, student_id: actor.userId } };
}

/**
 * A student turns in their work (new, reclaimed or returned → turned_in), with an optional
 * text and files (`file_ids`: their uploads, which replace the files turned in before).
 * `late` when after the due time. Turning in work that is already turned in is 409
 * `submission.already_turned_in`. The files are checked before anything is written, and the
 * submission and its files' marks are one transaction (see `Assignment.create`): a failed
 * request changes nothing, and a retried one finds the files already its own.
 */
export const turnIn = fn(TurnInInput, Submission, async ({ assignment_id, text, file_ids }, actor) => {
  const { assignment, key } = await ownWork(assignment_id, actor);
  const parent = { type: "submission" as const, id: assignment_id };
  for await (const _attempt of attempts()) {
    const item = await readSubmission(key);
    if (item?.state === "turned_in") throw conflict("submission.already_turned_in", "This work is already turned in. Unsubmit it first to change it.");
    const current = item?.attachments ?? [];
    const files = file_ids === undefined ? undefined : await replaceAttachments(file_ids, current, { class_id: key.class_id, purpose: "submission", actor, parent });
    const attachments = files?.attachments ?? current;
    const now = new Date().toISOString();
    const change = { class_id: key.class_id, parent, added: files?.added ?? [], dropped: files?.dropped ?? [], at: now };
    const late = isPast(assignment.due_at, Date.parse(now));
    // Turning returned work in again takes it out of the standing until it is returned again.
    const standing = await recount(key, item, { state: "turned_in" }, assignment, actor.name);
    const result = await db()
      .transaction.write((tx) => {
        const write = tx.submission
          .update(key)
          .set({ state: "turned_in", late, turned_in_at: now, updated_at: now, ...(attachments.length > 0 ? { attachments } : {}) });
        const removed = [...(standing.uncount ? (["counted"] as const) : []), ...(attachments.length === 0 && current.length > 0 ? (["attachments"] as const) : [])];
        return [
          writableClassCheck(tx, key.class_id),
          assignmentCheck(tx, assignment_id, true),
          studentCheck(tx, key),
          (removed.length > 0 ? write.remove(removed) : write)
            .add({ version: 1 })
            .where((attr, op) => (item ? op.eq(attr.version, item.version) : op.notExists(attr.version)))
            .commit(),
          text ? tx.submissionWork.put({ ...key, text, updated_at: now }).commit() : tx.submissionWork.delete(key).commit(),
          ...standing.standingItem(tx, now),
          ...attachmentWrites(tx, change),
        ];
      })
      .go();
    if (!result.canceled) {
      await standing.rekey();
      await touch(key.class_id);
      const next = { ...item, ...key, state: "turned_in" as const, late, turned_in_at: now, updated_at: now, version: (item?.version ?? 0) + 1, attachments };
      return toSubmission(key, next, { student_name: actor.name, due_at: assignment.due_at, text: text || null, viewer: "student" });
    }
    const reason = await explain(result, ["class", "assignment", "student", "submission", "work", "standing"], key.class_id, assignmentNotFound);
    if (reason) throw reason;
    // The submission changed meanwhile, or a new file was attached elsewhere: look again (and say why).
  }
  throw contended("submission");
});

export const ReclaimInput = z.object({ assignment_id: Id });

/** A student takes back (unsubmits) work they turned in (turned_in → reclaimed), to change it and turn it in again. */
export const reclaim = fn(ReclaimInput, Submission, async ({ assignment_id }, actor) => {
  const { assignment, key } = await ownWork(assignment_id, actor);
  for await (const _attempt of attempts()) {
    const item = await readSubmission(key);
    if (item?.state !== "turned_in") throw conflict("submission.not_turned_in", "Only work that is turned in (and not yet returned) can be unsubmitted.");
    const now = new Date().toISOString();
    const standing = await recount(key, item, { state: "reclaimed" }, assignment, actor.name);
    const result = await db()
      .transaction.write((tx) => {
        const write = tx.submission.update(key).set({ state: "reclaimed", updated_at: now });
        return [
          writableClassCheck(tx, key.class_id),
          assignmentCheck(tx, assignment_id, true),
          studentCheck(tx, key),
          (standing.uncount ? write.remove(["counted"]) : write)
            .add({ version: 1 })
            .where((attr, op) => op.eq(attr.version, item.version))
            .commit(),
          ...standing.standingItem(tx, now),
        ];
      })
      .go();
    if (!result.canceled) {
      await standing.rekey();
      await touch(key.class_id);
      const next = { ...item, state: "reclaimed" as const, updated_at: now, version: item.version + 1 };
      return toSubmission(key, next, { student_name: actor.name, due_at: assignment.due_at, text: await readText(key), viewer: "student" });
    }
    const reason = await explain(result, ["class", "assignment", "student", "submission", "standing"], key.class_id, assignmentNotFound);
    if (reason) throw reason;
  }
  throw contended("submission");
});

// ---------------------------------------------------------------------------------------------
// Teachers: grade, return

/** A grade as a teacher enters it: a number with at most 2 decimals (checked against max_points later), or null to clear. */
const GradeInput = z
  .number()
  .min(0, "must not be negative")
  .max(MAX_POINTS)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "must have at most 2 decimals")
  .transform((value) => Math.round(value * 100) / 100)
  .nullable()
  .optional();

/** The grades of a `grade` call (its body on the REST side). */
export const GradeBody = z.object({
  draft_grade: GradeInput.meta({ description: "The private grade to return later; null clears it" }),
  assigned_grade: GradeInput.meta({ description: "The grade the student sees at once (a regrade); null clears it" }),
});

export const GradeInputSchema = GradeBody.extend({ submission_id: SubmissionIdInput })
  .refine((input) => input.draft_grade !== undefined || input.assigned_grade !== undefined, "give draft_grade, assigned_grade or both");

/** A submission of a student of the class, on an assignment a teacher (the actor) may grade. */
async function teachersSubmission(submission_id: string, actor: Actor) {
  const ids = parseSubmissionId(submission_id);
  if (!ids) throw submissionNotFound();
  let found: Awaited<ReturnType<typeof visibleAssignment>>;
  try {
    found = await visibleAssignment(ids.assignment_id, actor);
  } catch (error) {
    if (error instanceof DomainError && error.code === "assignment.not_found") throw submissionNotFound();
    throw error;
  }
  const { assignment, role } = found;
  // A student asking about anyone's submission (their own included) is refused alike.
  if (role !== "teacher") throw teacherOnly();
  const key = { class_id: assignment.class_id, ...ids };
  const { data: student } = await db().entities.membership.get({ class_id: key.class_id, user_id: key.student_id }).go({ consistent: true });
  if (student?.role !== "student") throw submissionNotFound();
  await requireWriter(assignment.class_id, actor);
  return { assignment, key, student_name: student.user_name };
}

/**
 * A teacher sets the draft and/or assigned grade of a student's work, in any state. Grades
 * are 0..max_points with at most 2 decimals; ungraded assignments take none (409
 * `assignment.ungraded`). A grade above max_points is 400 `submission.grade_out_of_range`.
 */
export const grade = fn(GradeInputSchema, Submission, async ({ submission_id, draft_grade, assigned_grade }, actor) => {
  const { assignment, key, student_name } = await teachersSubmission(submission_id, actor);
  for await (const _attempt of attempts()) {
    const { data: current } = await db().entities.assignment.get({ assignment_id: key.assignment_id }).go({ consistent: true });
    if (!current || current.deleted_at) throw submissionNotFound();
    const max = current.max_points;
    if (max === undefined) throw conflict("assignment.ungraded", "This assignment is ungraded; give it a point value first.");
    for (const value of [draft_grade, assigned_grade]) {
      if (value !== undefined && value !== null && value > max) {
        throw badRequest("submission.grade_out_of_range", `A grade must be between 0 and ${max}, the assignment's points.`);
      }
    }
    const item = await readSubmission(key);
    const now = new Date().toISOString();
    const next = { ...item, ...key, state: item?.state ?? ("new" as const), updated_at: now, version: (item?.version ?? 0) + 1 };
    if (draft_grade !== undefined) next.draft_grade = draft_grade ?? undefined;
    if (assigned_grade !== undefined) next.assigned_grade = assigned_grade ?? undefined;
    const standing = await recount(key, item, next, current, student_name);
    const cleared = [
      ...(["draft_grade", "assigned_grade"] as const).filter((name) => item?.[name] !== undefined && next[name] === undefined),
      ...(standing.uncount ? (["counted"] as const) : []),
    ];
    const result = await db()
      .transaction.write((tx) => {
        const write = tx.submission.update(key).set({
          state: next.state,
          updated_at: now,
          ...(next.draft_grade !== undefined ? { draft_grade: next.draft_grade } : {}),
          ...(next.assigned_grade !== undefined ? { assigned_grade: next.assigned_grade } : {}),
          ...standing.counted,
        });
        return [
          writableClassCheck(tx, key.class_id),
          tx.assignment
            .patch({ assignment_id: key.assignment_id })
            .add({ grade_seq: 1 })
            .where((attr, op) => `${op.notExists(attr.deleted_at)} AND ${op.eq(attr.max_points, max)} AND ${op.eq(attr.state, current.state)}`)
            .commit(),
          studentCheck(tx, key),
          (cleared.length > 0 ? write.remove(cleared) : write).add({ version: 1 }).where((attr, op) => (item ? op.eq(attr.version, item.version) : op.notExists(attr.version))).commit(),
          ...standing.standingItem(tx, now),
        ];
      })
      .go();
    if (!result.canceled) {
      await standing.rekey();
      await touch(key.class_id);
      return toSubmission(key, next, { student_name, due_at: assignment.due_at, text: await readText(key), viewer: "teacher" });
    }
    const { failed } = transactionOutcome(result, ["class", "assignment", "student", "submission", "standing"]);
    if (failed.has("class")) throw await classNotWritable(key.class_id);
    if (failed.has("student")) throw submissionNotFound();
    // The assignment (deleted, new max_points or state), the submission or the standing changed meanwhile: look again.
  }
  throw contended("submission");
});

export const ReturnInput = z.object({ submission_id: SubmissionIdInput });

/**
 * A teacher returns a student's work: state `returned`, and the draft grade (if any) becomes
 * the assigned grade the student sees. Work in any state can be returned; returning again
 * after a new draft grade updates the student's grade.
 */
export const giveBack = fn(ReturnInput, Submission, async ({ submission_id }, actor) => {
  const { assignment, key, student_name } = await teachersSubmission(submission_id, actor);
  let current = assignment;
  for await (const _attempt of attempts()) {
    const item = await readSubmission(key);
    const now = new Date().toISOString();
    const next = { ...item, ...key, state: "returned" as const, returned_at: now, updated_at: now, version: (item?.version ?? 0) + 1 };
    const promoted = item?.draft_grade;
    if (promoted !== undefined) {
      next.assigned_grade = promoted;
      delete next.draft_grade;
    }
    const standing = await recount(key, item, next, current, student_name);
    const cleared = [...(promoted !== undefined ? (["draft_grade"] as const) : []), ...(standing.uncount ? (["counted"] as const) : [])];
    const result = await db()
      .transaction.write((tx) => {
        const write = tx.submission.update(key).set({
          state: "returned",
          returned_at: now,
          updated_at: now,
          ...(promoted !== undefined ? { assigned_grade: promoted } : {}),
          ...standing.counted,
        });
        return [
          writableClassCheck(tx, key.class_id),
          scoredAssignmentCheck(tx, current),
          studentCheck(tx, key),
          (cleared.length > 0 ? write.remove(cleared) : write).add({ version: 1 }).where((attr, op) => (item ? op.eq(attr.version, item.version) : op.notExists(attr.version))).commit(),
          ...standing.standingItem(tx, now),
        ];
      })
      .go();
    if (!result.canceled) {
      await standing.rekey();
      await touch(key.class_id);
      return toSubmission(key, next, { student_name, due_at: assignment.due_at, text: await readText(key), viewer: "teacher" });
    }
    const { failed } = transactionOutcome(result, ["class", "assignment", "student", "submission", "standing"]);
    if (failed.has("class")) throw await classNotWritable(key.class_id);
    if (failed.has("student")) throw submissionNotFound();
    if (failed.has("assignment")) {
      // Deleted (the work is gone), or its points or state changed (count it again under them).
      const { data: fresh } = await db().entities.assignment.get({ assignment_id: key.assignment_id }).go({ consistent: true });
      if (!fresh || fresh.deleted_at) throw submissionNotFound();
      current = fresh;
    }
  }
  throw contended("submission");
});
