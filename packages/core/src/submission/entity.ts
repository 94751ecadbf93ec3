import { Entity } from "../entity.ts";
import { attachmentsAttribute } from "../file/entity.ts";

export const SUBMISSION_STATES = ["new", "turned_in", "returned", "reclaimed"] as const;

/**
 * A student's work on one assignment: at most one per (assignment, student), stored in the
 * class's partition so one Query reads every submission of a class (the gradebook) or of one
 * assignment (its key prefix). A student who never opened the assignment has no item; they
 * read as state `new`. `version` is bumped by every write, and writes that depend on what
 * they read are conditioned on it. The text a student turned in is a separate item
 * (`SubmissionWorkEntity`), so reading a gradebook reads grades and states, not essays.
 */
export const SubmissionEntity = new Entity({
  model: { entity: "submission", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    assignment_id: { type: "string", required: true, readOnly: true },
    student_id: { type: "string", required: true, readOnly: true },
    state: { type: SUBMISSION_STATES, required: true },
    late: { type: "boolean" },
    turned_in_at: { type: "string" },
    returned_at: { type: "string" },
    attachments: attachmentsAttribute,
    draft_grade: { type: "number" },
    assigned_grade: { type: "number" },
    /** What it adds to the student's standing now (standing/ledger.ts); absent when it does not count. */
    counted: { type: "number" },
    version: { type: "number", required: true },
    updated_at: { type: "string", required: true },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["assignment_id", "student_id"], casing: "none" },
    },
  },
});

/** The text a student turned in with a submission (same partition, its own key prefix). */
export const SubmissionWorkEntity = new Entity({
  model: { entity: "submissionWork", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    assignment_id: { type: "string", required: true, readOnly: true },
    student_id: { type: "string", required: true, readOnly: true },
    text: { type: "string", required: true },
    updated_at: { type: "string", required: true },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["assignment_id", "student_id"], casing: "none" },
    },
  },
});
