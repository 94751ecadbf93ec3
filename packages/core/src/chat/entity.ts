import { Entity } from "../entity.ts";

/**
 * A chat message, stored in its class's partition and sorted by `created_at`, which is
 * unique and strictly increasing within a class (it is the class's sequence).
 * Reactions live on the item: each count changes in the same UpdateItem as its set.
 */
export const MessageEntity = new Entity({
  model: { entity: "message", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
    message_id: { type: "string", required: true, readOnly: true },
    author_id: { type: "string", required: true, readOnly: true },
    author_name: { type: "string", required: true },
    content: { type: "string", required: true },
    like_count: { type: "number", default: 0 },
    heart_count: { type: "number", default: 0 },
    liked_by: { type: "set", items: "string" },
    hearted_by: { type: "set", items: "string" },
    expires_at: { type: "number", required: true },
    /** The class's message counter once this message was sent (1, 2, 3, ...): read markers count from it. */
    seq: { type: "number" },
    /** Set when the author edits the text. */
    edited_at: { type: "string" },
    /** Set when the message is removed: its text is erased and a tombstone keeps its place. */
    removed_at: { type: "string" },
    removed_by_role: { type: ["author", "teacher"] as const },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["created_at"], casing: "none" },
    },
  },
});

/**
 * Locates a message by its id (reactions arrive with the id only) and makes sending
 * idempotent: it is created in the same transaction as the message, and only once.
 */
export const MessageRefEntity = new Entity({
  model: { entity: "messageRef", version: "1", service: "classroom" },
  attributes: {
    message_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
    author_id: { type: "string", required: true, readOnly: true },
    /** The text as first sent (compared when a send is retried); erased when the message is removed. */
    content: { type: "string", required: true },
    expires_at: { type: "number", required: true },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["message_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
