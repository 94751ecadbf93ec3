import { Entity } from "../entity.ts";

/** Writes by one user in one fixed time window. Expires (TTL) shortly after its window. */
export const RateWindowEntity = new Entity({
  model: { entity: "rateWindow", version: "1", service: "classroom" },
  attributes: {
    user_id: { type: "string", required: true, readOnly: true },
    bucket: { type: "string", required: true, readOnly: true },
    window: { type: "number", required: true, readOnly: true },
    count: { type: "number" },
    expires_at: { type: "number" },
  },
  indexes: {
    byWindow: {
      pk: { field: "pk", composite: ["user_id", "bucket", "window"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
