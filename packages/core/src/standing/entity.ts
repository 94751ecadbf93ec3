import { Entity } from "../entity.ts";

/**
 * A student's standing in a class: the running sum and count of the contributions of their
 * returned, graded work (see ledger.ts), in the class's partition. A student with no graded
 * work has no item (an item whose count drops to 0 is deleted right after), so no rank.
 *
 * `sum` and `count` are the exact figures, changed in the grading transactions themselves.
 * `score` and the index keys are their projection, written right after (ledger.ts `rekey`):
 * - `rank_pk`/`rank_sk` (ClassRankingIndex) while the student is a student of the class;
 * - `top_pk`/`top_sk` (TopPerformersIndex) only while, in addition, the score is above the
 *   top performers' threshold, and removed as soon as it is not: that index is sparse.
 * `active` says whether the student is in the class (a removed student's standing keeps its
 * sums, out of both indexes, so it is right again if they come back).
 */
export const StandingEntity = new Entity({
  model: { entity: "standing", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    student_id: { type: "string", required: true, readOnly: true },
    student_name: { type: "string", required: true },
    /** Sum of the contributions, in millionths of a percent (integers, so sums are exact). */
    sum: { type: "number", required: true },
    /** How many returned, graded assignments the sum holds. */
    count: { type: "number", required: true },
    /** The average, in percent with 2 decimals, as last projected (exact: sum / count). */
    score: { type: "number" },
    active: { type: "boolean", required: true },
    rank_pk: { type: "string" },
    rank_sk: { type: "string" },
    top_pk: { type: "string" },
    top_sk: { type: "string" },
    updated_at: { type: "string", required: true },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["student_id"], casing: "none" },
    },
  },
});
