import { Entity } from "../entity.ts";

export const ROLES = ["teacher", "student"] as const;

/** A user's role in one class. Roles are per class, never global. */
export const MembershipEntity = new Entity({
  model: { entity: "membership", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    user_id: { type: "string", required: true, readOnly: true },
    role: { type: ROLES, required: true },
    user_name: { type: "string", required: true },
    user_email: { type: "string" },
    class_name: { type: "string", required: true },
    /** Copies of the class's section and state for "my classes", as of the class's `copy_seq` (see class/entity.ts). */
    class_section: { type: "string" },
    class_state: { type: "string" },
    class_seq: { type: "number" },
    joined_at: { type: "string", required: true, readOnly: true },
    /** The class message counter (`seq`) of the last message this member has read in the chat. */
    read_seq: { type: "number" },
    /** A teacher muted this member in the class chat until then. */
    muted_until: { type: "string" },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["user_id"], casing: "none" },
    },
    byUser: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["user_id"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["class_id"], casing: "none" },
    },
  },
});

/**
 * A pending invitation: a teacher added an email that has not signed in yet. It becomes a
 * membership when that person first signs in (see `acceptInvitations`).
 */
export const InvitationEntity = new Entity({
  model: { entity: "invitation", version: "1", service: "classroom" },
  attributes: {
    email: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    class_name: { type: "string", required: true },
    role: { type: ROLES, required: true },
    invited_by: { type: "string", required: true, readOnly: true },
    invited_at: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byEmail: {
      pk: { field: "pk", composite: ["email"], casing: "none" },
      sk: { field: "sk", composite: ["class_id"], casing: "none" },
    },
    byClass: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["class_id"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["email"], casing: "none" },
    },
  },
});
