import { field, type ChangeDescriber } from "../audit/change.ts";

/** Posts in the audit trail. */
export const describePostChange: ChangeDescriber = ({ action, after }) =>
  action === "insert" ? { summary: "post created", actor_id: field(after, "author_id") } : { summary: `post ${action}` };
