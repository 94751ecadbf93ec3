import { count, field, members, type ChangeDescriber } from "../audit/change.ts";

/**
 * Messages in the audit trail: sends count as `messages_sent`, reaction toggles as the net
 * change of `reactions`. Messages are only ever removed by their TTL; recording that would
 * copy expired text again.
 */
export const describeMessageChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "message sent", actor_id: String(after?.author_id ?? ""), deltas: { messages_sent: 1 } };
  if (action === "remove") return undefined;
  if (!before?.removed_at && after?.removed_at) {
    return { summary: after.removed_by_role === "teacher" ? "message removed by a teacher" : "message removed by its author" };
  }
  if (before?.content !== after?.content) return { summary: "message edited", actor_id: field(after, "author_id") };
  const net = count(after, "like_count") + count(after, "heart_count") - count(before, "like_count") - count(before, "heart_count");
  let actor_id: string | undefined;
  for (const name of ["liked_by", "hearted_by"]) {
    const was = new Set(members(before, name));
    const now = new Set(members(after, name));
    actor_id = [...now].find((u) => !was.has(u)) ?? [...was].find((u) => !now.has(u)) ?? actor_id;
  }
  return { summary: net >= 0 ? "reaction added" : "reaction removed", actor_id, deltas: net !== 0 ? { reactions: net } : {} };
};
