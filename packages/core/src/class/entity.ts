import { Entity } from "electrodb";

/**
 * A class. `last_message_at` is the chat's sequencer: each message takes the next
 * strictly increasing timestamp in the same transaction that writes it (see chat/index.ts).
 */
export const ClassEntity = new Entity({
  model: { entity: "class", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    name: { type: "string", required: true },
    created_by: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
    last_message_at: { type: "string" },
    message_count: { type: "number", default: 0 },
    /** Bumped by every change a poller cannot see in the message cursor: reactions, posts, comments. */
    activity_seq: { type: "number", default: 0 },
  },
  indexes: {
    primary: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
