/**
 * A class's gradebook (teachers): every student × every assignment, with assigned and draft
 * grades, late and missing work, and each student's average. It costs a fixed number of
 * requests whatever the class's size: the membership check, then in parallel one Query for the
 * students, one for the assignments and one for all the class's submissions (they share the
 * class's partition), each paged only past 1 MB.
 */
import * as z from "zod";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { AssignmentState, allOfClass } from "../assignment/index.ts";
import { requireTeacher } from "../membership/index.ts";
import { SubmissionState, submissionId, toSubmission } from "../submission/index.ts";
import { db } from "../table.ts";

const Grade = z.number().nullable();

export const GradebookAssignment = z
  .object({
    assignment_id: z.string(),
    title: z.string(),
    max_points: z.number().int().nullable(),
    due_at: Timestamp.nullable(),
    state: AssignmentState,
  })
  .meta({ id: "GradebookAssignment" });

export const GradebookCell = z
  .object({
    assignment_id: z.string(),
    submission_id: z.string(),
    state: SubmissionState,
    late: z.boolean(),
    missing: z.boolean(),
    assigned_grade: Grade,
    draft_grade: Grade,
  })
  .meta({ id: "GradebookCell" });

export const GradebookStudent = z
  .object({
    student_id: z.string(),
    student_name: z.string(),
    student_email: z.string().nullable(),
    average: z
      .number()
      .nullable()
      .meta({ description: "Percent of the points of published, graded assignments with an assigned grade (2 decimals); null before any" }),
    cells: z.array(GradebookCell).meta({ description: "One per assignment, in the order of `assignments`" }),
  })
  .meta({ id: "GradebookStudent" });

export const Gradebook = z
  .object({
    class_id: z.string(),
    assignments: z.array(GradebookAssignment).meta({ description: "By due date, undated last" }),
    students: z.array(GradebookStudent).meta({ description: "By name" }),
  })
  .meta({ id: "Gradebook" });
export type Gradebook = z.output<typeof Gradebook>;

export const GetInput = z.object({ class_id: Id });

/** Percent of points earned, to 2 decimals; null when nothing counts yet. */
export function average(cells: ReadonlyArray<{ assigned_grade: number | null }>, assignments: ReadonlyArray<{ max_points: number | null; state: string }>): number | null {
  let earned = 0;
  let possible = 0;
  cells.forEach((cell, i) => {
    const assignment = assignments[i];
    if (!assignment || assignment.state !== "published" || assignment.max_points === null || cell.assigned_grade === null) return;
    earned += cell.assigned_grade;
    possible += assignment.max_points;
  });
  if (possible === 0) return null;
  return Math.round((earned / possible) * 10_000) / 100;
}

export const get = fn(GetInput, Gradebook, async ({ class_id }, actor) => {
  await requireTeacher(class_id, actor);
  const [members, assignments, submissions] = await Promise.all([
    db().entities.membership.query.byClass({ class_id }).go({ pages: "all" }),
    allOfClass(class_id),
    db().entities.submission.query.byClass({ class_id }).go({ pages: "all" }),
  ]);
  const stored = new Map(submissions.data.map((s) => [`${s.assignment_id}/${s.student_id}`, s]));
  const students = members.data.filter((m) => m.role === "student").sort((a, b) => a.user_name.localeCompare(b.user_name));
  return {
    class_id,
    assignments: assignments.map((a) => ({ assignment_id: a.assignment_id, title: a.title, max_points: a.max_points, due_at: a.due_at, state: a.state })),
    students: students.map((m) => {
      const cells = assignments.map((a) => {
        const key = { class_id, assignment_id: a.assignment_id, student_id: m.user_id };
        const s = toSubmission(key, stored.get(`${a.assignment_id}/${m.user_id}`), {
          student_name: m.user_name,
          due_at: a.due_at ?? undefined,
          text: null,
          viewer: "teacher",
        });
        return {
          assignment_id: a.assignment_id,
          submission_id: submissionId(a.assignment_id, m.user_id),
          state: s.state,
          late: s.late,
          missing: s.missing,
          assigned_grade: s.assigned_grade,
          draft_grade: s.draft_grade ?? null,
        };
      });
      return { student_id: m.user_id, student_name: m.user_name, student_email: m.user_email ?? null, average: average(cells, assignments), cells };
    }),
  };
});

/**
 * A cell as a spreadsheet should read it: text that starts like a formula (= + - @, or a tab or
 * carriage return that some spreadsheets skip) gets a leading apostrophe so it stays text; a
 * cell with a comma, quote or line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const GradebookCsv = z
  .object({
    filename: z.string(),
    content: z.string().meta({ description: "CSV (RFC 4180, CRLF), UTF-8 with a byte order mark so spreadsheets read names right" }),
  })
  .meta({ id: "GradebookCsv" });

/**
 * The gradebook as CSV: one row per student (name, email, average) and one column per
 * assignment with the assigned grade; draft grades are left out, as in a returned report.
 */
export const csv = fn(GetInput, GradebookCsv, async (input, actor) => {
  const book = await get(input, actor);
  const { data: klass } = await db().entities.class.get({ class_id: input.class_id }).go();
  const header = [
    "Student",
    "Email",
    "Average (%)",
    ...book.assignments.map((a) => `${a.title} (${a.max_points === null ? "ungraded" : `/${a.max_points}`})`),
  ];
  const rows = book.students.map((s) => [s.student_name, s.student_email, s.average, ...s.cells.map((c) => c.assigned_grade)]);
  const content = `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
  const name = (klass?.name ?? "class").replace(/[\\/:*?"<>|\r\n\t]+/g, " ").trim() || "class";
  return { filename: `${name} - grades.csv`, content };
});
