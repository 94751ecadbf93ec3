import { field, type ChangeDescriber } from "../audit/change.ts";

/** Posts in the audit trail: creation and every moderation step. Comment counts are bookkeeping. */
export const describePostChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "post created", actor_id: field(after, "author_id") };
  if (action !== "modify") return { summary: `post ${action}` };
  if (!before?.removed_at && after?.removed_at) {
    return { summary: after.removed_by_role === "teacher" ? "post removed by a teacher" : "post removed by its author" };
  }
  if (before?.content !== after?.content) return { summary: "post edited", actor_id: field(after, "author_id") };
  if (!before?.pinned_at !== !after?.pinned_at) return { summary: after?.pinned_at ? "post pinned" : "post unpinned" };
  if (!before?.comments_locked !== !after?.comments_locked) return { summary: after?.comments_locked ? "comments locked" : "comments unlocked" };
  return undefined;
};
