/**
 * Pure rules of the coursework screens: what a submission's state means to a person, which
 * "To do" group a piece of work belongs to, due dates to and from the date field, and grades
 * typed by a teacher.
 */
import { MAX_POINTS } from "@classroom/client";
import type { RouterOutputs } from "@classroom/api";

export type Assignment = RouterOutputs["assignment"]["byId"];
export type Submission = RouterOutputs["submission"]["list"]["submissions"][number];
export type SubmissionState = Submission["state"];

const dueFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

export function dueLabel(due_at: string | null): string {
  return due_at ? `Due ${dueFormat.format(new Date(due_at))}` : "No due date";
}

export function pointsLabel(max_points: number | null): string {
  return max_points === null ? "Ungraded" : `${max_points} point${max_points === 1 ? "" : "s"}`;
}

/** "8 / 10", or "8" for ungraded work (a grade on ungraded work can still exist from before). */
export function gradeLabel(grade: number, max_points: number | null): string {
  return max_points === null ? String(grade) : `${grade} / ${max_points}`;
}

/** A submission's state in words, as its student reads it. */
export function studentStatus(submission: Pick<Submission, "state" | "late" | "missing">): string {
  switch (submission.state) {
    case "turned_in":
      return submission.late ? "Turned in late" : "Turned in";
    case "returned":
      return "Returned";
    case "reclaimed":
      return submission.missing ? "Missing (unsubmitted)" : "Unsubmitted";
    default:
      return submission.missing ? "Missing" : "Assigned";
  }
}

/** A submission's state in words, as a teacher grading it reads it. */
export function teacherStatus(submission: Pick<Submission, "state" | "late" | "missing">): string {
  switch (submission.state) {
    case "turned_in":
      return submission.late ? "Turned in late" : "Turned in";
    case "returned":
      return "Returned";
    case "reclaimed":
      return submission.missing ? "Missing" : "Unsubmitted";
    default:
      return submission.missing ? "Missing" : "Not turned in";
  }
}

export type TodoGroup = "assigned" | "missing" | "done";

/** Where work goes in a student's To do: still to do, past due and not turned in, or done. */
export function todoGroup(submission: Pick<Submission, "state" | "missing">): TodoGroup {
  if (submission.state === "turned_in" || submission.state === "returned") return "done";
  return submission.missing ? "missing" : "assigned";
}

/** Earliest due first, undated last; then by title. */
export function byDueDate<T extends { due_at: string | null; title: string }>(a: T, b: T): number {
  if (a.due_at !== b.due_at) {
    if (a.due_at === null) return 1;
    if (b.due_at === null) return -1;
    return Date.parse(a.due_at) - Date.parse(b.due_at);
  }
  return a.title.localeCompare(b.title);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO time as a `datetime-local` field shows it (the browser's time zone). */
export function toDateTimeField(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` field's value (local time) as an ISO time in UTC; null when empty or not a time. */
export function fromDateTimeField(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type ParsedGrade = { ok: true; grade: number | null } | { ok: false; error: string };

/** A grade as typed: empty clears it; otherwise 0..max with at most 2 decimals (as the API takes it). */
export function parseGrade(text: string, max_points: number | null): ParsedGrade {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return { ok: true, grade: null };
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return { ok: false, error: "Enter a number with at most 2 decimals." };
  const grade = Number(trimmed);
  const max = max_points ?? MAX_POINTS;
  if (grade > max) return { ok: false, error: `The grade can be at most ${max}.` };
  return { ok: true, grade };
}

