import { field, type ChangeDescriber } from "../audit/change.ts";

/** What a teacher changes in a class; the rest of the item is bookkeeping. */
const SETTINGS = ["name", "section", "description", "room", "stream_policy", "state", "enrollment_code"] as const;

/**
 * Classes in the audit trail. The class item also carries the chat's sequence and activity
 * counters; those changes are bookkeeping for messages and reactions, audited themselves.
 */
export const describeClassChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "class created", actor_id: field(after, "created_by") };
  if (action === "modify") {
    if (!field(before, "deleted_at") && field(after, "deleted_at")) return { summary: "class deleted", actor_id: field(after, "deleted_by") };
    const changed = SETTINGS.filter((name) => before?.[name] !== after?.[name]);
    if (changed.length === 0) return undefined;
    if (changed.includes("state")) return { summary: after?.state === "archived" ? "class archived" : "class restored" };
    return { summary: `class ${changed.map((name) => name.replaceAll("_", " ")).join(", ")} changed` };
  }
  return { summary: `class ${action}` };
};
