import type { ChangeDescriber } from "../audit/change.ts";

/** Memberships in the audit trail. */
export const describeMembershipChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "member added" };
  if (action === "remove") return { summary: "member removed" };
  if (before?.role !== after?.role) return { summary: "member role changed" };
  if (before?.muted_until !== after?.muted_until) return { summary: after?.muted_until ? "member muted" : "member unmuted" };
  return undefined;
};
