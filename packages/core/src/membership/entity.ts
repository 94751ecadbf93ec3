import { Entity } from "electrodb";

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
    joined_at: { type: "string", required: true, readOnly: true },
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
