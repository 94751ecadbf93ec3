import { Entity } from "../entity.ts";

/** A person known to Classroom: written the first time a verified token is seen. */
export const UserEntity = new Entity({
  model: { entity: "user", version: "1", service: "classroom" },
  attributes: {
    user_id: { type: "string", required: true, readOnly: true },
    email: { type: "string", required: true },
    name: { type: "string", required: true },
    created_at: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["user_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
    byEmail: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["email"], casing: "none" },
      sk: { field: "gsi1sk", composite: [], casing: "none" },
    },
  },
});
