import type { ChangeDescriber } from "../audit/change.ts";

/** Memberships in the audit trail. */
export const describeMembershipChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: "member added" };
  if (action === "remove") return { summary: "member removed" };
  if (before?.role !== after?.role) return { summary: "member role changed" };
  if (before?.muted_until !== after?.muted_until) return { summary: after?.muted_until ? "member muted" : "member unmuted" };
  return undefined;
};

/** Invitations in the audit trail: sent, accepted (the item goes when its membership is made) or withdrawn. */
export const describeInvitationChange: ChangeDescriber = ({ action, before, after }) => {
  if (action === "insert") return { summary: `invited ${String(after?.email ?? "")} as a ${String(after?.role ?? "member")}` };
  if (action === "remove") return { summary: `invitation of ${String(before?.email ?? "")} closed` };
  return undefined;
};
