import { field, type ChangeDescriber } from "../audit/change.ts";

/** Submissions in the audit trail: what happened to the student's work (grades are in before/after). */
export const describeSubmissionChange: ChangeDescriber = ({ action, before, after }) => {
  const from = field(before, "state");
  const to = field(after, "state");
  if (action === "remove") return { summary: "submission removed" };
  // Only what it counts for in the standing was settled (after a change of its assignment): nothing the student or teacher did.
  if (before && after && settledOnly(before, after)) return undefined;
  if (to === "turned_in" && from !== "turned_in") return { summary: "work turned in", actor_id: field(after, "student_id") };
  if (to === "reclaimed" && from !== "reclaimed") return { summary: "work unsubmitted", actor_id: field(after, "student_id") };
  if (to === "returned") return { summary: "work returned" };
  return { summary: "grade changed" };
};

/** Whether a change touched nothing but the standing's bookkeeping (`counted`, and the version every write bumps). */
function settledOnly(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete("counted");
  names.delete("version");
  return [...names].every((name) => before[name] === after[name]);
}
