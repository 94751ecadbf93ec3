import { field, type ChangeDescriber } from "../audit/change.ts";

/** Submissions in the audit trail: what happened to the student's work (grades are in before/after). */
export const describeSubmissionChange: ChangeDescriber = ({ action, before, after }) => {
  const from = field(before, "state");
  const to = field(after, "state");
  if (action === "remove") return { summary: "submission removed" };
  if (to === "turned_in" && from !== "turned_in") return { summary: "work turned in", actor_id: field(after, "student_id") };
  if (to === "reclaimed" && from !== "reclaimed") return { summary: "work unsubmitted", actor_id: field(after, "student_id") };
  if (to === "returned") return { summary: "work returned" };
  return { summary: "grade changed" };
};
