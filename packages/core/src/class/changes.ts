import { field, type ChangeDescriber } from "../audit/change.ts";

/**
 * Classes in the audit trail. The class item also carries the chat's sequence and activity
 * counters; those changes are bookkeeping for messages and reactions, audited themselves.
 */
export const describeClassChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "class created", actor_id: field(after, "created_by") };
  if (action === "modify" && before?.name === after?.name) return undefined;
  return { summary: `class ${action}` };
};
