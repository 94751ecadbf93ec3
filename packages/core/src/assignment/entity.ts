import { Entity } from "../entity.ts";
import { attachmentsAttribute } from "../file/entity.ts";

export const ASSIGNMENT_STATES = ["draft", "published"] as const;

/** Sorts after every date: undated assignments come last in a class's list. */
export const UNDATED = "~";

/**
 * A piece of coursework in a class. `max_points` absent means ungraded. `due_key` is `due_at`,
 * or `UNDATED`, so the class's list (gsi1) comes out ordered by due date with undated last.
 * Deleting one only marks it (`deleted_at`): reads treat it, and its submissions, as gone.
 * `grade_seq` is bumped in the same transaction as every grade written for it, so lowering
 * `max_points` can make sure no grade changed since it checked them all.
 */
export const AssignmentEntity = new Entity({
  model: { entity: "assignment", version: "1", service: "classroom" },
  attributes: {
    assignment_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    title: { type: "string", required: true },
    description: { type: "string" },
    max_points: { type: "number" },
    due_at: { type: "string" },
    due_key: { type: "string", required: true },
    state: { type: ASSIGNMENT_STATES, required: true },
    created_by: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
    updated_at: { type: "string", required: true },
    published_at: { type: "string" },
    attachments: attachmentsAttribute,
    grade_seq: { type: "number", default: 0 },
    deleted_at: { type: "string" },
    deleted_by: { type: "string" },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["assignment_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
    byClass: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: ["class_id"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["due_key", "assignment_id"], casing: "none" },
    },
  },
});
