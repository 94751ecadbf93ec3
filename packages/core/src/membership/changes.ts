import type { ChangeDescriber } from "../audit/change.ts";

/** Memberships in the audit trail. */
export const describeMembershipChange: ChangeDescriber = ({ action }) => ({
  summary: action === "insert" ? "member added" : action === "remove" ? "member removed" : "member role changed",
});
