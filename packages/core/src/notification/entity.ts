import { Entity } from "../entity.ts";
import { EVENT_TYPES } from "./catalog.ts";

/**
 * One notification for one person. Its key is (recipient, time of the event, event id), all
 * taken from the event, so delivering the same event again finds the item already there: the
 * write is conditional, and a repeat changes nothing.
 */
export const NotificationEntity = new Entity({
  model: { entity: "notification", version: "1", service: "classroom" },
  attributes: {
    user_id: { type: "string", required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
    event_id: { type: "string", required: true, readOnly: true },
    kind: { type: EVENT_TYPES, required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    title: { type: "string", required: true },
    body: { type: "string" },
    /** What to open: `{ type, id }` of the item the notification is about. */
    target_type: { type: ["class", "post", "assignment", "message"] as const, required: true },
    target_id: { type: "string", required: true },
    read_at: { type: "string" },
    /** TTL (epoch seconds). */
    expires_at: { type: "number", required: true },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["user_id"], casing: "none" },
      sk: { field: "sk", composite: ["at", "event_id"], casing: "none" },
    },
  },
});

/**
 * A person's inbox: the number of unread notifications (kept in the same transaction as each
 * notification and each "read"), and their preferences: kinds turned off, classes muted.
 */
export const InboxEntity = new Entity({
  model: { entity: "inbox", version: "1", service: "classroom" },
  attributes: {
    user_id: { type: "string", required: true, readOnly: true },
    unread: { type: "number" },
    disabled_kinds: { type: "set", items: EVENT_TYPES },
    muted_classes: { type: "set", items: "string" },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["user_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
