import { Entity } from "electrodb";

/** A post on a class stream. `comment_count` always equals its active comments. */
export const PostEntity = new Entity({
  model: { entity: "post", version: "1", service: "classroom" },
  attributes: {
    post_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    author_id: { type: "string", required: true, readOnly: true },
    author_name: { type: "string", required: true },
    content: { type: "string", required: true },
    comment_count: { type: "number", default: 0 },
    created_at: { type: "string", required: true, readOnly: true },
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
