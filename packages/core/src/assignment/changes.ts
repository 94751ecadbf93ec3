import { field, type ChangeDescriber } from "../audit/change.ts";

/** Assignments in the audit trail. */
export const describeAssignmentChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "assignment created", actor_id: field(after, "created_by") };
  if (action === "modify" && !field(before, "deleted_at") && field(after, "deleted_at")) {
    return { summary: "assignment deleted", actor_id: field(after, "deleted_by") };
  }
  // A grade only bumps the assignment's grade counter; the submission's own change is audited.
  if (action === "modify" && before?.grade_seq !== after?.grade_seq && before?.updated_at === after?.updated_at) return undefined;
  return { summary: `assignment ${action}` };
};
