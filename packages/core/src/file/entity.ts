import { Entity } from "../entity.ts";

/** What a file is for: a teacher's material (on an assignment), a student's work (on a submission), or a post's attachment. */
export const FILE_PURPOSES = ["material", "submission", "post"] as const;
export const FILE_STATES = ["pending", "ready"] as const;
/** What a file can be attached to. A submission is named by its assignment: it is the file owner's. */
export const PARENT_TYPES = ["assignment", "submission", "post"] as const;

/**
 * The `attachments` attribute of a post, an assignment (its materials) or a submission (the
 * student's work): what a reader is shown about each file, copied from the file when it was
 * attached (a file never changes once ready), so listing them costs no reads of the files.
 */
export const attachmentsAttribute = {
  type: "list",
  items: {
    type: "map",
    properties: {
      file_id: { type: "string", required: true },
      filename: { type: "string", required: true },
      content_type: { type: "string", required: true },
      size: { type: "number", required: true },
    },
  },
} as const;

/**
 * A file in a class. Written `pending` before the upload is handed out, `ready` once the object
 * was checked. The bytes live in S3 (storage.ts has the keys); this item is what decides who
 * may read them. A pending item carries `expires_at` (TTL): an upload never completed vanishes
 * after a day, like its object. `parent_*` is set when the file is attached, so a download can
 * follow its parent's fate (a removed post, a deleted assignment). `removed_at` marks a file
 * whose parent is gone and whose object was deleted.
 */
export const FileEntity = new Entity({
  model: { entity: "file", version: "1", service: "classroom" },
  attributes: {
    file_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
    purpose: { type: FILE_PURPOSES, required: true, readOnly: true },
    owner_id: { type: "string", required: true, readOnly: true },
    owner_name: { type: "string", required: true, readOnly: true },
    filename: { type: "string", required: true, readOnly: true },
    content_type: { type: "string", required: true, readOnly: true },
    size: { type: "number", required: true, readOnly: true },
    status: { type: FILE_STATES, required: true },
    created_at: { type: "string", required: true, readOnly: true },
    completed_at: { type: "string" },
    parent_type: { type: PARENT_TYPES },
    parent_id: { type: "string" },
    removed_at: { type: "string" },
    /** TTL (epoch seconds), while pending. */
    expires_at: { type: "number" },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["file_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
  },
});

/**
 * One per attached file, in its parent's partition: the files of a post or an assignment are
 * one Query away, for removing them from the bucket when the parent goes.
 */
export const FileLinkEntity = new Entity({
  model: { entity: "fileLink", version: "1", service: "classroom" },
  attributes: {
    parent_type: { type: PARENT_TYPES, required: true, readOnly: true },
    parent_id: { type: "string", required: true, readOnly: true },
    file_id: { type: "string", required: true, readOnly: true },
    class_id: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byParent: {
      pk: { field: "pk", composite: ["parent_type", "parent_id"], casing: "none" },
      sk: { field: "sk", composite: ["file_id"], casing: "none" },
    },
  },
});
