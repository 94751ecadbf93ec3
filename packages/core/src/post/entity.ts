import { Entity } from "../entity.ts";
import { attachmentsAttribute } from "../file/entity.ts";

export const POST_KINDS = ["announcement", "discussion"] as const;

/** A post on a class stream. `comment_count` always equals its active comments. */
export const PostEntity = new Entity({
  model: { entity: "post", version: "1", service: "classroom" },
  attributes: {
    post_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    author_id: { type: "string", required: true, readOnly: true },
    author_name: { type: "string", required: true },
    content: { type: "string", required: true },
    attachments: attachmentsAttribute,
    /** Announcements are teachers' posts to the whole class; discussions follow the class's stream policy. */
    kind: { type: POST_KINDS, default: "discussion" },
    comment_count: { type: "number", default: 0 },
    created_at: { type: "string", required: true, readOnly: true },
    edited_at: { type: "string" },
    /** Teachers lock a post's comments: no new comments while set. */
    comments_locked: { type: "boolean" },
    /** When a teacher pinned the post (absent when not pinned). */
    pinned_at: { type: "string" },
    /** Soft delete: a removed post is no longer listed, nor are its comments. */
    removed_at: { type: "string" },
    removed_by_role: { type: ["author", "teacher"] as const },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["post_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
    byClass: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["class_id"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["created_at", "post_id"], casing: "none" },
    },
  },
});

/**
 * The posts pinned in a class, at most `MAX_PINNED_POSTS`. Pinning adds to this set in the
 * same transaction that marks the post, on the condition that the set is not full, so two
 * teachers pinning at once can never exceed the limit.
 */
export const PinBoardEntity = new Entity({
  model: { entity: "pinBoard", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    post_ids: { type: "set", items: "string" },
    /** The size of `post_ids`, kept beside it so the limit is a plain condition. */
    pinned_count: { type: "number" },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
