/**
 * What a reader may see, decided against the items as they stand now. Every recommendation
 * passes through here before it is answered, whatever produced it (the trained neighbours,
 * the popularity list, a future Personalize campaign): the model learns from interactions
 * and can be wrong or stale about who may see what; this never is.
 *
 * An item is visible to a member of class C (with their role) when it belongs to C and
 * - a post: is not removed;
 * - an assignment: is not deleted, and is published unless the reader is a teacher;
 * - a file: is ready, not removed, a class material or a post's attachment (never a
 *   student's submitted work), attached, and its parent (post or assignment) is visible.
 */
import type { Actor } from "../actor.ts";
import { assignmentNotFound } from "../assignment/index.ts";
import { contended } from "../dynamo-errors.ts";
import type { DomainError } from "../errors.ts";
import { fileNotFound } from "../file/index.ts";
import { type Role, requireMemberOr } from "../membership/index.ts";
import { postNotFound } from "../post/index.ts";
import { db } from "../table.ts";
import type { ITEM_TYPES } from "./entity.ts";

export type ItemType = (typeof ITEM_TYPES)[number];

export interface ItemRef {
  item_type: ItemType;
  item_id: string;
}

/** An item as the model knows it: `type:id`. */
export const keyOf = (ref: ItemRef): string => `${ref.item_type}:${ref.item_id}`;

export function refOf(key: string): ItemRef {
  const at = key.indexOf(":");
  return { item_type: key.slice(0, at) as ItemType, item_id: key.slice(at + 1) };
}

export interface VisibleItem extends ItemRef {
  class_id: string;
  /** What a person recognises it by: a post's opening words, an assignment's title, a file's name. */
  title: string;
}

export interface Reader {
  class_id: string;
  role: Role;
}

const TITLE_LENGTH = 140;

const notFoundOf: Record<ItemType, () => DomainError> = {
  post: postNotFound,
  assignment: assignmentNotFound,
  file: fileNotFound,
};

interface Stored {
  posts: Map<string, { class_id: string; content: string; removed_at?: string | undefined }>;
  assignments: Map<string, { class_id: string; title: string; state: string; deleted_at?: string | undefined }>;
  files: Map<
    string,
    {
      class_id: string;
      filename: string;
      purpose: string;
      status: string;
      removed_at?: string | undefined;
      parent_type?: string | undefined;
      parent_id?: string | undefined;
    }
  >;
}

/** Strongly consistent BatchGets, retrying unprocessed keys a few times. */
async function batchGet<K, T>(keys: K[], read: (keys: K[]) => Promise<{ data: T[]; unprocessed: K[] }>): Promise<T[]> {
  const found: T[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0 && round < 4; round++) {
    const { data, unprocessed } = await read(pending);
    found.push(...data);
    pending = unprocessed;
  }
  if (pending.length > 0) throw contended("recommendation");
  return found;
}

/** Reads the items (and the parents of files) in at most two rounds of BatchGets. */
async function read(refs: readonly ItemRef[]): Promise<Stored> {
  const ids = (type: ItemType, extra: string[] = []) => [...new Set([...refs.filter((r) => r.item_type === type).map((r) => r.item_id), ...extra])];
  const stored: Stored = { posts: new Map(), assignments: new Map(), files: new Map() };
  const fileIds = ids("file");
  const files = fileIds.length
    ? await batchGet(fileIds.map((file_id) => ({ file_id })), (keys) => db().entities.file.get(keys).go({ consistent: true }))
    : [];
  for (const f of files) stored.files.set(f.file_id, f);
  const parents = (type: string) => files.filter((f) => f.parent_type === type && f.parent_id).map((f) => f.parent_id!);
  const postIds = ids("post", parents("post"));
  const assignmentIds = ids("assignment", parents("assignment"));
  const [posts, assignments] = await Promise.all([
    postIds.length ? batchGet(postIds.map((post_id) => ({ post_id })), (keys) => db().entities.post.get(keys).go({ consistent: true })) : [],
    assignmentIds.length
      ? batchGet(assignmentIds.map((assignment_id) => ({ assignment_id })), (keys) => db().entities.assignment.get(keys).go({ consistent: true }))
      : [],
  ]);
  for (const p of posts) stored.posts.set(p.post_id, p);
  for (const a of assignments) stored.assignments.set(a.assignment_id, a);
  return stored;
}

/** The item as this reader may see it, or undefined (see the module's comment). */
function visible(ref: ItemRef, stored: Stored, reader: Reader): VisibleItem | undefined {
  const inClass = (item: { class_id: string } | undefined) => item !== undefined && item.class_id === reader.class_id;
  const postStands = (id: string) => {
    const post = stored.posts.get(id);
    return inClass(post) && !post!.removed_at ? post! : undefined;
  };
  const assignmentStands = (id: string) => {
    const assignment = stored.assignments.get(id);
    const shown = inClass(assignment) && !assignment!.deleted_at && (assignment!.state === "published" || reader.role === "teacher");
    return shown ? assignment! : undefined;
  };
  const base = { ...ref, class_id: reader.class_id };
  switch (ref.item_type) {
    case "post": {
      const post = postStands(ref.item_id);
      return post ? { ...base, title: post.content.slice(0, TITLE_LENGTH) } : undefined;
    }
    case "assignment": {
      const assignment = assignmentStands(ref.item_id);
      return assignment ? { ...base, title: assignment.title.slice(0, TITLE_LENGTH) } : undefined;
    }
    case "file": {
      const file = stored.files.get(ref.item_id);
      if (!inClass(file) || file!.removed_at || file!.status !== "ready" || !file!.parent_id) return undefined;
      const parentStands =
        (file!.purpose === "post" && file!.parent_type === "post" && postStands(file!.parent_id) !== undefined) ||
        (file!.purpose === "material" && file!.parent_type === "assignment" && assignmentStands(file!.parent_id) !== undefined);
      return parentStands ? { ...base, title: file!.filename.slice(0, TITLE_LENGTH) } : undefined;
    }
  }
}

/** Of these items, those the reader may see, in the order given. */
export async function visibleItems(refs: readonly ItemRef[], reader: Reader): Promise<VisibleItem[]> {
  if (refs.length === 0) return [];
  const stored = await read(refs);
  return refs.map((ref) => visible(ref, stored, reader)).filter((item): item is VisibleItem => item !== undefined);
}

/**
 * One item the actor may see, with their role in its class. Anything else (unknown, in a
 * class they are not in, removed, a draft for a student) is that item type's own not-found
 * error, exactly as for an id that never existed.
 */
export async function requireVisibleItem(ref: ItemRef, actor: Actor): Promise<{ item: VisibleItem; role: Role }> {
  const missing = notFoundOf[ref.item_type];
  const stored = await read([ref]);
  const class_id =
    ref.item_type === "post"
      ? stored.posts.get(ref.item_id)?.class_id
      : ref.item_type === "assignment"
        ? stored.assignments.get(ref.item_id)?.class_id
        : stored.files.get(ref.item_id)?.class_id;
  if (!class_id) throw missing();
  const role = await requireMemberOr(class_id, actor, missing);
  const item = visible(ref, stored, { class_id, role });
  if (!item) throw missing();
  return { item, role };
}
