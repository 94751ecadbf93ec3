import { Entity } from "../entity.ts";

/**
 * One change to a class's data, recorded from the table's stream. Keyed by the stream
 * record's event id, so a redelivered record finds its event already there.
 */
export const AuditEventEntity = new Entity({
  model: { entity: "auditEvent", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
    event_id: { type: "string", required: true, readOnly: true },
    entity: { type: "string", required: true },
    action: { type: ["insert", "modify", "remove"] as const, required: true },
    actor_id: { type: "string" },
    summary: { type: "string", required: true },
    before: { type: "string" },
    after: { type: "string" },
    /** TTL: the trail quotes message and comment text, so it is kept no longer than messages are. */
    expires_at: { type: "number" },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["at", "event_id"], casing: "none" },
    },
  },
});

/** Analytics counters of one class on one (UTC) day. */
export const ClassStatsEntity = new Entity({
  model: { entity: "classStats", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    day: { type: "string", required: true, readOnly: true },
    messages_sent: { type: "number" },
    reactions: { type: "number" },
    comments_created: { type: "number" },
    comments_deleted: { type: "number" },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["day"], casing: "none" },
    },
  },
});
