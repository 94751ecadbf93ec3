import { Entity } from "../entity.ts";

export const COMMENT_ACTIVE = 1;
export const COMMENT_DELETED = 0;

/** A comment on a post. Deleting sets `status` to 0 (soft delete) and keeps who and when. */
export const CommentEntity = new Entity({
  model: { entity: "comment", version: "1", service: "classroom" },
  attributes: {
    comment_id: { type: "string", required: true, readOnly: true },
    post_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    author_id: { type: "string", required: true, readOnly: true },
    author_name: { type: "string", required: true },
    content: { type: "string", required: true },
    status: { type: "number", required: true },
    created_at: { type: "string", required: true, readOnly: true },
    deleted_at: { type: "string" },
    deleted_by: { type: "string" },
    deleted_by_role: { type: ["author", "teacher"] as const },
    edited_at: { type: "string" },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["comment_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
    byPost: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["post_id"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["created_at", "comment_id"], casing: "none" },
    },
  },
});
