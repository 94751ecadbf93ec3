import { field, type ChangeDescriber } from "../audit/change.ts";
import { COMMENT_ACTIVE, COMMENT_DELETED } from "./entity.ts";

/** Comments in the audit trail: creations and (soft) deletions, each counted once. */
export const describeCommentChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "comment created", actor_id: field(after, "author_id"), deltas: { comments_created: 1 } };
  if (action === "modify" && before?.status === COMMENT_ACTIVE && after?.status === COMMENT_DELETED) {
    return { summary: "comment deleted", actor_id: field(after, "deleted_by"), deltas: { comments_deleted: 1 } };
  }
  if (action === "modify" && before?.content !== after?.content) return { summary: "comment edited", actor_id: field(after, "author_id") };
  return { summary: `comment ${action}` };
};
