/**
 * Files in a class, uploaded and downloaded straight to and from S3 with presigned requests:
 * the API never carries the bytes.
 *
 * Upload is two steps. `create` checks who may upload what, writes the file item (`pending`)
 * FIRST, then hands out a presigned POST whose policy pins the object key, the Content-Type and
 * the exact size, valid 15 minutes. The client posts the form straight to S3, then calls
 * `complete`, which reads the object back (HEAD): only an object of the declared size and type
 * is accepted (moved out of `pending/`, the item marked `ready`); anything else is deleted and
 * refused (422). S3 enforces the policy already; `complete` checks again because a local S3
 * does not, and because the item must never say `ready` about bytes nobody checked.
 *
 * Download: a presigned GET valid 5 minutes that makes the browser save the file under its
 * (sanitized) name. Who may read: members of the class; a submission's files only their owner
 * and the class's teachers; an attached file only while its parent (post, assignment) stands.
 *
 * Other domains attach ready files: `requireAttachable` (or `replaceAttachments`) checks them
 * before anything is written, then `attachmentWrites` go into the same transaction as the
 * parent (a post, an assignment's materials, a submission), which stores the `Attachment`s it
 * shows. (`attach` links files to a parent that is already written, in a transaction of its own.)
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { type Transaction, requireWritableClass, requireWriter, type Writer } from "../class/index.ts";
import { contended, isConditionFailure, transactionOutcome } from "../dynamo-errors.ts";
import { DomainError, badRequest, conflict, forbidden, notFound, unprocessable } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { FILE_CONTENT_TYPES, MAX_ATTACHMENTS, MAX_FILE_SIZE } from "../limits.ts";
import { type Role, requireMemberOr } from "../membership/index.ts";
import type { StreamConsumer, TableChange } from "../stream.ts";
import { db } from "../table.ts";
import { FILE_PURPOSES, FILE_STATES, PARENT_TYPES } from "./entity.ts";
import { attachmentDisposition, sanitizeFilename } from "./filename.ts";
import * as Storage from "./storage.ts";

export { FILES_BUCKET_ENV, S3_ENDPOINT_ENV } from "./storage.ts";
export { attachmentDisposition, sanitizeFilename } from "./filename.ts";

/** A pending item (and its object, by the bucket's lifecycle rule) is dropped after this long. */
const PENDING_SECONDS = 24 * 60 * 60;

export const FilePurpose = z.enum(FILE_PURPOSES).meta({
  description: "`material`: a teacher's file for an assignment; `submission`: a student's work; `post`: an attachment to a post",
});
export type FilePurpose = z.output<typeof FilePurpose>;

const CONTENT_TYPES = Object.keys(FILE_CONTENT_TYPES) as [keyof typeof FILE_CONTENT_TYPES, ...Array<keyof typeof FILE_CONTENT_TYPES>];
export const ContentType = z
  .enum(CONTENT_TYPES, { message: "is not a type of file Classroom accepts (PDF, images, office documents, plain text, zip)" })
  .meta({ description: "The file's media type; the upload must send exactly this Content-Type" });

export const FileSize = z
  .number()
  .int("must be a whole number of bytes")
  .min(1, "must be at least 1 byte")
  .max(MAX_FILE_SIZE, `must be at most ${MAX_FILE_SIZE} bytes (25 MB)`)
  .meta({ description: "Size in bytes; the upload must be exactly this size" });

export const Filename = z
  .string()
  .max(1000, "must be at most 1000 characters")
  .transform(sanitizeFilename)
  .refine((name) => name.length > 0, "must contain a file name")
  .meta({ description: "The file's name; kept without any folder path, control characters or direction overrides" });

export const File = z
  .object({
    file_id: z.string(),
    class_id: z.string(),
    purpose: FilePurpose,
    filename: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    status: z.enum(FILE_STATES).meta({ description: "`pending` until the upload was completed and checked, then `ready`" }),
    owner_id: z.string(),
    owner_name: z.string(),
    created_at: Timestamp,
    completed_at: Timestamp.nullable(),
  })
  .meta({ id: "File" });
export type File = z.output<typeof File>;

/** What a post, an assignment or a submission stores (and shows) about each file it carries. */
export const Attachment = z
  .object({ file_id: z.string(), filename: z.string(), content_type: z.string(), size: z.number().int() })
  .meta({ id: "Attachment" });
export type Attachment = z.output<typeof Attachment>;

export const FileUpload = z
  .object({
    file_id: z.string(),
    upload: z
      .object({
        url: z.string().meta({ description: "Where to POST the form (S3)" }),
        fields: z.record(z.string(), z.string()).meta({ description: "Form fields to send, as they are, before the `file` field" }),
      })
      .meta({ description: "An S3 presigned POST: a multipart/form-data POST of `fields` and then the file as `file`" }),
    expires_at: Timestamp.meta({ description: "The upload is refused after this time (15 minutes)" }),
  })
  .meta({ id: "FileUpload" });

export const FileDownload = z
  .object({
    url: z.string().meta({ description: "A presigned GET of the file; it answers with `Content-Disposition: attachment` and the file's name" }),
    expires_at: Timestamp.meta({ description: "The link stops working after this time (5 minutes)" }),
    filename: z.string(),
    content_type: z.string(),
    size: z.number().int(),
  })
  .meta({ id: "FileDownload" });

export const fileNotFound = () => notFound("file.not_found", "No file with this id was found.");

type Stored = Awaited<ReturnType<ReturnType<ReturnType<typeof db>["entities"]["file"]["get"]>["go"]>>["data"] & {};

const expired = (item: Stored) => item.status === "pending" && item.expires_at !== undefined && item.expires_at * 1000 <= Date.now();

function toFile(item: Stored): File {
  return {
    file_id: item.file_id,
    class_id: item.class_id,
    purpose: item.purpose,
    filename: item.filename,
    content_type: item.content_type,
    size: item.size,
    status: item.status,
    owner_id: item.owner_id,
    owner_name: item.owner_name,
    created_at: item.created_at,
    completed_at: item.completed_at ?? null,
  };
}

const toAttachment = (item: Stored): Attachment => ({ file_id: item.file_id, filename: item.filename, content_type: item.content_type, size: item.size });

// ---------------------------------------------------------------------------------------------
// Upload

export const CreateInput = z.object({ class_id: Id, purpose: FilePurpose, filename: Filename, content_type: ContentType, size: FileSize });

/** Who uploads what: materials are teachers', submitted work students', post attachments whoever may post. */
function requireMayUpload(purpose: FilePurpose, { role, stream_policy }: Writer): void {
  if (purpose === "material" && role !== "teacher") throw forbidden("file.teachers_only", "Only teachers upload class materials.");
  if (purpose === "submission" && role !== "student") throw forbidden("file.students_only", "Only students upload work for a submission.");
  if (purpose === "post" && role !== "teacher" && stream_policy !== "all_members") {
    throw forbidden("file.students_cannot_post", "In this class only teachers start posts, so only they attach files to posts.");
  }
}

/**
 * Step one of an upload: the pending item, then a presigned POST for it. Refused (and nothing
 * stored) for bad input, for people who may not upload this kind of file, and while S3 cannot
 * be reached (503: the upload could not succeed).
 */
export const create = fn(CreateInput, FileUpload, async ({ class_id, purpose, filename, content_type, size }, actor) => {
  const [writer, reachable] = await Promise.allSettled([requireWriter(class_id, actor), Storage.requireReachable()]);
  if (writer.status === "rejected") throw writer.reason;
  requireMayUpload(purpose, writer.value);
  if (reachable.status === "rejected") throw reachable.reason;
  const file_id = newId();
  const now = new Date();
  await db()
    .entities.file.create({
      file_id,
      class_id,
      purpose,
      owner_id: actor.userId,
      owner_name: actor.name,
      filename,
      content_type,
      size,
      status: "pending",
      created_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + PENDING_SECONDS,
    })
    .go();
  const { url, fields, expires_at } = await Storage.presignUpload(file_id, content_type, size);
  return { file_id, upload: { url, fields }, expires_at };
});

export const FileIdInput = z.object({ file_id: Id });

/** A file the actor may see, with their role in its class; anything else is `file.not_found`. */
async function visibleFile(file_id: string, actor: Actor, consistent = false): Promise<{ item: Stored; role: Role }> {
  const { data } = await db().entities.file.get({ file_id }).go({ consistent });
  if (!data || data.removed_at || expired(data)) throw fileNotFound();
  const role = await requireMemberOr(data.class_id, actor, fileNotFound);
  if (data.purpose === "submission" && role !== "teacher" && data.owner_id !== actor.userId) throw fileNotFound();
  return { item: data, role };
}

const describe = (object: { size: number; content_type: string }) => `${object.size} bytes of ${object.content_type || "unknown type"}`;

/**
 * Step two: the uploader says the upload is done. The object must be there (else 409
 * `file.not_uploaded`) and be exactly what was declared (else it is deleted and the file
 * refused, 422 `file.mismatch`); then it moves out of `pending/` and the file is `ready`.
 * Completing a ready file answers it again. While S3 cannot be reached: 503, and the file
 * stays pending (unless only the last step, deleting the pending copy, failed: the file is
 * ready and answered as such).
 */
export const complete = fn(FileIdInput, File, async ({ file_id }, actor) => {
  const { item } = await visibleFile(file_id, actor, true);
  if (item.owner_id !== actor.userId) throw forbidden("file.not_owner", "Only the person who uploaded this file can complete its upload.");
  if (item.status === "ready") return toFile(item);
  await requireWritableClass(item.class_id);
  const declared = { size: item.size, content_type: item.content_type };
  const matches = (object: { size: number; content_type: string }) => object.size === declared.size && object.content_type === declared.content_type;
  const pending = Storage.pendingKey(file_id);
  const uploaded = await Storage.head(pending);
  if (uploaded) {
    if (!matches(uploaded)) {
      await Storage.remove(pending);
      throw unprocessable("file.mismatch", `The upload was ${describe(uploaded)}, not the ${describe(declared)} declared, so it was discarded. Upload the file again.`);
    }
    const settled = await Storage.copy(pending, Storage.storedKey(file_id)).then(
      () => undefined,
      async (error: unknown) => {
        // A concurrent `complete` took the pending object between our HEAD and this COPY; it
        // marks the file ready before deleting that object, so then answer what it wrote.
        const now = (await visibleFile(file_id, actor, true)).item;
        if (now.status === "ready") return now;
        throw error;
      },
    );
    if (settled) return toFile(settled);
  } else {
    // Nothing pending: either never uploaded, or an earlier `complete` stopped after moving it.
    const moved = await Storage.head(Storage.storedKey(file_id));
    if (!moved || !matches(moved)) throw conflict("file.not_uploaded", "The file has not been uploaded yet: send it to the upload URL first.");
  }
  const completed_at = new Date().toISOString();
  const ready = await db()
    .entities.file.patch({ file_id })
    .set({ status: "ready", completed_at })
    .remove(["expires_at"])
    .where((a, op) => op.eq(a.status, "pending"))
    .go({ response: "all_new" })
    .then(({ data }) => ({ ...item, ...data }) as Stored)
    .catch(async (error: unknown) => {
      // Completed by a concurrent call: answer what it wrote.
      if (!isConditionFailure(error)) throw error;
      return (await visibleFile(file_id, actor, true)).item;
    });
  // The file is ready now: a pending copy S3 fails to delete is left to the bucket's lifecycle rule.
  await Storage.remove(pending).catch((error: unknown) => {
    if (!(error instanceof DomainError && error.code === "service.unavailable")) throw error;
  });
  return toFile(ready);
});

// ---------------------------------------------------------------------------------------------
// Download

/** Whether the file's parent (if it has been attached) still stands for this reader. */
async function parentStands(item: Stored, role: Role): Promise<boolean> {
  if (!item.parent_type || !item.parent_id) return true;
  if (item.parent_type === "post") {
    const { data } = await db().entities.post.get({ post_id: item.parent_id }).go();
    return Boolean(data && !data.removed_at);
  }
  const { data } = await db().entities.assignment.get({ assignment_id: item.parent_id }).go();
  if (!data || data.deleted_at) return false;
  // A draft assignment's materials are the teachers' until it is published.
  return item.parent_type !== "assignment" || data.state === "published" || role === "teacher";
}

/** A download link for a ready file the actor may read. */
export const download = fn(FileIdInput, FileDownload, async ({ file_id }, actor) => {
  const { item, role } = await visibleFile(file_id, actor);
  if (!(await parentStands(item, role))) throw fileNotFound();
  if (item.status !== "ready") throw conflict("file.not_ready", "This file's upload has not been completed yet.");
  const link = await Storage.presignDownload(file_id, item.content_type, attachmentDisposition(item.filename));
  return { ...link, filename: item.filename, content_type: item.content_type, size: item.size };
});

// ---------------------------------------------------------------------------------------------
// Attaching (for other domains)

export type Parent = { type: (typeof PARENT_TYPES)[number]; id: string };

export interface AttachOptions {
  class_id: string;
  purpose: FilePurpose;
  /** Who attaches: only their own uploads can be attached. */
  actor: Actor;
  /**
   * What the files go on: `{ type: "post", id: post_id }`, `{ type: "assignment", id: assignment_id }`
   * (materials) or `{ type: "submission", id: assignment_id }` (the actor's own work).
   */
  parent?: Parent;
}

/**
 * Checks that these files can be attached, and answers what to store about them (in the order
 * given, duplicates dropped). Each must be the actor's own upload, in this class, for this
 * purpose (else 404 `file.not_found`, as for an unknown id), completed (else 409
 * `file.not_ready`) and not attached to another parent (409 `file.already_attached`).
 * At most `MAX_ATTACHMENTS` (else 400 `file.too_many`). Reads only.
 */
export async function requireAttachable(file_ids: readonly string[], options: AttachOptions): Promise<Attachment[]> {
  const ids = [...new Set(file_ids)];
  if (ids.length > MAX_ATTACHMENTS) throw badRequest("file.too_many", `At most ${MAX_ATTACHMENTS} files can be attached.`);
  if (ids.length === 0) return [];
  if (!ids.every((id) => Id.safeParse(id).success)) throw fileNotFound();
  const items = await readMany(ids);
  const { class_id, purpose, actor, parent } = options;
  const found = ids.map((id) => items.get(id));
  const usable = (item: Stored | undefined): item is Stored =>
    Boolean(item && !item.removed_at && !expired(item) && item.class_id === class_id && item.purpose === purpose && item.owner_id === actor.userId);
  if (!found.every(usable)) throw fileNotFound();
  const files = found as Stored[];
  if (files.some((item) => item.status !== "ready")) throw conflict("file.not_ready", "A file's upload has not been completed yet.");
  if (parent && files.some((item) => item.parent_id !== undefined && (item.parent_type !== parent.type || item.parent_id !== parent.id))) {
    throw conflict("file.already_attached", "A file is already attached to something else; upload it again to attach it here.");
  }
  return files.map(toAttachment);
}

async function readMany(ids: string[]): Promise<Map<string, Stored>> {
  const items = new Map<string, Stored>();
  let keys = ids.map((file_id) => ({ file_id }));
  for (let round = 0; keys.length > 0 && round < 3; round++) {
    const { data, unprocessed } = await db().entities.file.get(keys).go({ consistent: true });
    for (const item of data) items.set(item.file_id, item);
    keys = unprocessed;
  }
  if (keys.length > 0) throw contended("file");
  return items;
}

/**
 * Attaches files to their parent: checks them as `requireAttachable` does, then, in one
 * transaction, records the parent on each file (so a download stops once the parent is
 * removed) and a link under the parent (so its files are found to delete them from the
 * bucket). Idempotent for the same parent. Call it once the parent is written.
 */
export async function attach(file_ids: readonly string[], options: AttachOptions & { parent: Parent }): Promise<Attachment[]> {
  const attachments = await requireAttachable(file_ids, options);
  if (attachments.length === 0) return attachments;
  const change = { class_id: options.class_id, parent: options.parent, added: attachments, dropped: [], at: new Date().toISOString() };
  const result = await db()
    .transaction.write((tx) => attachmentWrites(tx, change))
    .go();
  if (result.canceled) {
    if (transactionOutcome(result, attachmentWriteNames(change)).failed.size > 0) {
      throw conflict("file.already_attached", "A file was attached to something else meanwhile; upload it again to attach it here.");
    }
    throw contended("file");
  }
  return attachments;
}

/** A parent's change of files: those it gains and those it drops (attached before, no longer listed). */
export interface AttachmentChange {
  class_id: string;
  parent: Parent;
  added: readonly Attachment[];
  dropped: readonly Attachment[];
  /** When the change is made: a dropped file is marked removed at this time. */
  at: string;
}

/**
 * The writes of an `AttachmentChange`, for the transaction that writes the parent itself, so
 * the parent's `attachments` and its files' marks can never disagree: an added file gets the
 * parent (on the condition that it is still ready, not removed and not attached elsewhere) and
 * a link under it; a dropped file is marked removed (its download stops with the change, the
 * stream consumer deletes its object) and loses its link. Put them last in the transaction: a
 * failed condition among them (read `attachmentWriteNames`) means a file was attached elsewhere
 * or removed meanwhile, which `requireAttachable` then explains.
 */
export function attachmentWrites(tx: Transaction, { class_id, parent, added, dropped, at }: AttachmentChange) {
  const { type, id } = parent;
  return [
    ...added.map((a) =>
      tx.file
        .patch({ file_id: a.file_id })
        .set({ parent_type: type, parent_id: id })
        .where(
          (attr, op) =>
            `${op.eq(attr.status, "ready")} AND ${op.notExists(attr.removed_at)} AND (${op.notExists(attr.parent_id)} OR (${op.eq(attr.parent_type, type)} AND ${op.eq(attr.parent_id, id)}))`,
        )
        .commit(),
    ),
    ...added.map((a) => tx.fileLink.put({ parent_type: type, parent_id: id, file_id: a.file_id, class_id }).commit()),
    ...dropped.map((a) =>
      tx.file
        .patch({ file_id: a.file_id })
        .set({ removed_at: at })
        .where((attr, op) => `${op.eq(attr.parent_type, type)} AND ${op.eq(attr.parent_id, id)}`)
        .commit(),
    ),
    ...dropped.map((a) => tx.fileLink.delete({ parent_type: type, parent_id: id, file_id: a.file_id }).commit()),
  ];
}

/** Names for `transactionOutcome`, one per write of `attachmentWrites`. */
export const attachmentWriteNames = ({ added, dropped }: Pick<AttachmentChange, "added" | "dropped">): "file"[] =>
  Array.from({ length: 2 * (added.length + dropped.length) }, () => "file" as const);

/** The files of `next` not in `current` (added) and of `current` not in `next` (dropped). */
export function attachmentChange(current: readonly Attachment[], next: readonly Attachment[]): Pick<AttachmentChange, "added" | "dropped"> {
  const had = new Set(current.map((a) => a.file_id));
  const keeps = new Set(next.map((a) => a.file_id));
  return { added: next.filter((a) => !had.has(a.file_id)), dropped: current.filter((a) => !keeps.has(a.file_id)) };
}

/**
 * What a parent carries when `file_ids` replaces its `current` attachments, in the order given:
 * files it already carries are kept as they are (whoever attached them: a co-teacher may edit
 * an assignment's materials list), the others are checked by `requireAttachable`; with the
 * files it gains and drops. Reads only.
 */
export async function replaceAttachments(
  file_ids: readonly string[],
  current: readonly Attachment[],
  options: AttachOptions & { parent: Parent },
): Promise<{ attachments: Attachment[] } & Pick<AttachmentChange, "added" | "dropped">> {
  const ids = [...new Set(file_ids)];
  if (ids.length > MAX_ATTACHMENTS) throw badRequest("file.too_many", `At most ${MAX_ATTACHMENTS} files can be attached.`);
  const kept = new Map(current.map((a) => [a.file_id, a]));
  const checked = new Map((await requireAttachable(ids.filter((id) => !kept.has(id)), options)).map((a) => [a.file_id, a]));
  const attachments = ids.map((id) => (kept.get(id) ?? checked.get(id))!);
  return { attachments, ...attachmentChange(current, attachments) };
}

/** `file_ids` as an input field: the files to attach, already uploaded and completed by the caller. */
export const FileIds = z
  .array(z.string().max(100, "is not a file id"))
  .max(MAX_ATTACHMENTS, `must list at most ${MAX_ATTACHMENTS} files`)
  .meta({ description: `Files to attach (at most ${MAX_ATTACHMENTS}): your own uploads of this class, completed (\`POST /files/{file_id}/complete\`) and not attached to anything else` });

// ---------------------------------------------------------------------------------------------
// The table's stream: files of removed parents leave the bucket

const ENTITY_FIELD = "__edb_e__";

/** The parents a change removed: a post removed (soft or hard), an assignment deleted. */
function removedParents({ action, before, after }: TableChange): Parent[] {
  const entity = (after ?? before)?.[ENTITY_FIELD];
  const gone = (field: string) => action === "remove" || (Boolean(after?.[field]) && !before?.[field]);
  if (entity === "post" && gone("removed_at")) return [{ type: "post", id: String((after ?? before)!.post_id) }];
  if (entity === "assignment" && gone("deleted_at")) {
    const id = String((after ?? before)!.assignment_id);
    return [{ type: "assignment", id }, { type: "submission", id }];
  }
  return [];
}

/**
 * When a post is removed or an assignment deleted, its files are marked removed and their
 * objects deleted from the bucket. (Downloads already stopped at the change itself: they check
 * the parent.) A file dropped from a parent that stays (an assignment's materials replaced, a
 * submission turned in again with other files) was marked removed by that change; its object
 * is deleted here. Idempotent: a redelivered record finds nothing left to do.
 */
export const consume: StreamConsumer = async (change) => {
  // A file dropped from its parent (or removed with it, below): its object goes too.
  const { action, before, after } = change;
  if (action === "modify" && after?.[ENTITY_FIELD] === "file" && after.removed_at && !before?.removed_at) {
    await Storage.remove(Storage.storedKey(String(after.file_id)));
  }
  for (const parent of removedParents(change)) {
    const { data: links } = await db().entities.fileLink.query.byParent({ parent_type: parent.type, parent_id: parent.id }).go({ pages: "all" });
    for (const link of links) {
      await db()
        .entities.file.patch({ file_id: link.file_id })
        .set({ removed_at: change.at })
        .where((a, op) => op.notExists(a.removed_at))
        .go()
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
      await Storage.remove(Storage.storedKey(link.file_id));
      await db().entities.fileLink.delete(link).go();
    }
  }
};
