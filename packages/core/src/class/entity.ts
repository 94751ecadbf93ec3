import { Entity } from "../entity.ts";

export const STREAM_POLICIES = ["all_members", "comments_only", "teachers_only"] as const;
export const CLASS_STATES = ["active", "archived"] as const;

/**
 * A class. `last_message_at` is the chat's sequencer: each message takes the next
 * strictly increasing timestamp in the same transaction that writes it (see chat/index.ts).
 *
 * A deleted class keeps its item (for the audit trail) with `deleted_at` set; its memberships,
 * which are what grant access, are deleted, so it is gone for everyone.
 * `revision` counts changes to the class's settings; each membership keeps a copy of the name,
 * section and state for "my classes" with the revision it is from, and a copy is only ever
 * overwritten by a newer one.
 */
export const ClassEntity = new Entity({
  model: { entity: "class", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    name: { type: "string", required: true },
    section: { type: "string" },
    description: { type: "string" },
    room: { type: "string" },
    stream_policy: { type: STREAM_POLICIES, default: "all_members" },
    /** Whether students see their rank in the class (they always see their own average). */
    show_rank_to_students: { type: "boolean" },
    state: { type: CLASS_STATES, default: "active" },
    enrollment_code: { type: "string" },
    revision: { type: "number", default: 0 },
    created_by: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
    updated_at: { type: "string" },
    deleted_at: { type: "string" },
    deleted_by: { type: "string" },
    last_message_at: { type: "string" },
    message_count: { type: "number", default: 0 },
    /** Bumped by every change a poller cannot see in the message cursor: reactions, posts, comments. */
    activity_seq: { type: "number", default: 0 },
    /** When `activity_seq` last moved: with `last_message_at`, how lively the class is (the pollers' hint). */
    activity_at: { type: "string" },
  },
  indexes: {
    primary: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});

/**
 * An enrollment code, reserved by a conditional create in the same transaction that gives it
 * to a class, so no two classes ever share one. Deleted when the class's code is reset or the
 * class is deleted.
 */
export const EnrollmentCodeEntity = new Entity({
  model: { entity: "enrollmentCode", version: "1", service: "classroom" },
  attributes: {
    code: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    created_at: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byCode: {
      pk: { field: "pk", composite: ["code"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});
