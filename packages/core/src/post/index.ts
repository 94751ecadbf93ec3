/**
 * The class stream: posts, newest first, with up to three pinned posts above them. Authors
 * edit and remove their posts; teachers remove any post, lock a post's comments and pin posts.
 * Every change moves the class's activity counter, so open pages refresh at their next poll.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { attempts, contended, isConditionFailure, transactionOutcome } from "../dynamo-errors.ts";
import { conflict, forbidden, notFound, notFoundAs } from "../errors.ts";
import { Content, Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { DEFAULT_POST_PAGE, MAX_PINNED_POSTS, MAX_POST_LENGTH, MAX_POST_PAGE } from "../limits.ts";
import { classNotWritable, requireWritableClass, requireWriter, touch, writableClassCheck } from "../class/index.ts";
import { Attachment, FileIds, attachmentWriteNames, attachmentWrites, requireAttachable } from "../file/index.ts";
import { requireMember, requireMemberOr } from "../membership/index.ts";
import { db } from "../table.ts";
import { POST_KINDS } from "./entity.ts";

export const PostKind = z.enum(POST_KINDS).meta({ description: "An announcement (teachers only) or a discussion post" });

export const Post = z
  .object({
    post_id: z.string(),
    class_id: z.string(),
    kind: PostKind,
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    attachments: z.array(Attachment).meta({ description: "Files attached to the post; they stop downloading when it is removed" }),
    comment_count: z.number().int(),
    created_at: Timestamp,
    edited_at: Timestamp.nullable().meta({ description: "When the author last edited the text; null if never" }),
    pinned: z.boolean().meta({ description: "Pinned by a teacher: shown above the other posts" }),
    comments_locked: z.boolean().meta({ description: "A teacher locked the comments: no new ones" }),
  })
  .meta({ id: "Post" });
export type Post = z.output<typeof Post>;

export const PostPage = z
  .object({
    pinned: z.array(Post).meta({ description: "The pinned posts, most recently pinned first; on the first page only (empty on later pages)" }),
    posts: z.array(Post).meta({ description: "Newest first, pinned posts included in their place" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next (older) page. null on the last page." }),
  })
  .meta({ id: "PostPage" });

export const postNotFound = () => notFound("post.not_found", "No post with this id was found.");

export const CreateInput = z.object({
  class_id: Id,
  content: Content(MAX_POST_LENGTH),
  kind: PostKind.default("discussion"),
  file_ids: FileIds.optional().meta({ description: "Your uploads (purpose `post`) to attach" }),
});

/**
 * Posting to the class stream: announcements are for teachers; discussions for everyone when
 * the class's stream policy is `all_members`, for teachers only otherwise. Attached files are
 * checked before anything is written; the post and its files' marks are then one transaction
 * (see `Assignment.create`), so a failed request leaves neither.
 */
export const create = fn(CreateInput, Post, async ({ class_id, content, kind, file_ids }, actor) => {
  const { role, stream_policy } = await requireWriter(class_id, actor);
  if (role !== "teacher" && kind === "announcement") throw forbidden("post.announcement_teacher_only", "Only teachers post announcements.");
  if (role !== "teacher" && stream_policy !== "all_members") {
    throw forbidden(
      "post.students_cannot_post",
      stream_policy === "teachers_only" ? "In this class only teachers post and comment." : "In this class only teachers start posts; you can comment on theirs.",
    );
  }
  const post_id = newId();
  const files = { class_id, purpose: "post" as const, actor, parent: { type: "post" as const, id: post_id } };
  const attachments = await requireAttachable(file_ids ?? [], files);
  const post: Post = {
    post_id,
    class_id,
    kind,
    author_id: actor.userId,
    author_name: actor.name,
    content,
    attachments,
    comment_count: 0,
    created_at: new Date().toISOString(),
    edited_at: null,
    pinned: false,
    comments_locked: false,
  };
  const item = {
    post_id,
    class_id,
    kind,
    author_id: post.author_id,
    author_name: post.author_name,
    content,
    ...(attachments.length > 0 ? { attachments } : {}),
    comment_count: 0,
    created_at: post.created_at,
  };
  const change = { class_id, parent: files.parent, added: attachments, dropped: [], at: post.created_at };
  if (attachments.length === 0) {
    await db().entities.post.create(item).go();
    await touch(class_id);
    return post;
  }
  const result = await db()
    .transaction.write((tx) => [writableClassCheck(tx, class_id), tx.post.create(item).commit(), ...attachmentWrites(tx, change)])
    .go();
  if (result.canceled) {
    const { failed } = transactionOutcome(result, ["class", "post", ...attachmentWriteNames(change)]);
    if (failed.has("class")) throw await classNotWritable(class_id);
    if (failed.has("file")) await requireAttachable(file_ids ?? [], files);
    throw contended("post");
  }
  await touch(class_id);
  return post;
});

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_POST_PAGE).default(DEFAULT_POST_PAGE),
  cursor: Cursor.optional(),
});

/** Newest first. */
export const list = fn(ListInput, PostPage, async ({ class_id, limit, cursor }, actor) => {
  await requireMember(class_id, actor);
  const scope = `posts:${class_id}`;
  const before = positionOf(scope, cursor);
  const query = db().entities.post.query.byClass({ class_id });
  const ranged = before ? query.lt({ created_at: before.created_at, post_id: before.id }) : query;
  const [{ data }, pinned] = await Promise.all([
    ranged.where((a, op) => op.notExists(a.removed_at)).go({ order: "desc", limit: limit + 1, count: limit + 1 }),
    before ? Promise.resolve([]) : pinnedPosts(class_id),
  ]);
  const page = keysetPage(scope, data.map((item) => stripPin(toPost(item))), limit, (p) => ({ created_at: p.created_at, id: p.post_id }));
  return { pinned, posts: page.items, cursor: page.cursor };
});

export const GetInput = z.object({ post_id: Id });

export const get = fn(GetInput, Post, ({ post_id }, actor) => visiblePost(post_id, actor, true));

/** The class's pinned posts, most recently pinned first (a BatchGet of the pin board's ids). */
async function pinnedPosts(class_id: string): Promise<Post[]> {
  const { data: board } = await db().entities.pinBoard.get({ class_id }).go();
  const ids = board?.post_ids ?? [];
  if (ids.length === 0) return [];
  const { data } = await db().entities.post.get(ids.map((post_id) => ({ post_id }))).go();
  return data
    .filter((p) => !p.removed_at && p.pinned_at)
    .map(toPost)
    .sort((a, b) => (b.pinned_at ?? "").localeCompare(a.pinned_at ?? ""))
    .map(({ pinned_at: _pinned_at, ...post }) => post);
}

/** A post the actor may see (member of its class, not removed); anything else is `post.not_found`. */
export async function visiblePost(postId: string, actor: Actor, consistent = false): Promise<Post> {
  const { data } = await db().entities.post.get({ post_id: postId }).go({ consistent });
  if (!data || data.removed_at) throw postNotFound();
  await requireMemberOr(data.class_id, actor, postNotFound);
  return stripPin(toPost(data));
}

/** For changing a post: visible as above, and its class writable (an archived class is 409 `class.archived`). */
async function changeablePost(postId: string, actor: Actor) {
  const { data } = await db().entities.post.get({ post_id: postId }).go({ consistent: true });
  if (!data || data.removed_at) throw postNotFound();
  const [role] = await Promise.all([requireMemberOr(data.class_id, actor, postNotFound), requireWritableClass(data.class_id).catch(notFoundAs(postNotFound))]);
  return { post: stripPin(toPost(data)), role };
}

type StoredPost = Omit<Post, "kind" | "attachments" | "comment_count" | "edited_at" | "pinned" | "comments_locked"> & {
  kind?: Post["kind"] | undefined;
  attachments?: Attachment[] | undefined;
  comment_count?: number | undefined;
  edited_at?: string | undefined;
  pinned_at?: string | undefined;
  comments_locked?: boolean | undefined;
};

function toPost(item: StoredPost): Post & { pinned_at?: string } {
  return {
    post_id: item.post_id,
    class_id: item.class_id,
    kind: item.kind ?? "discussion",
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    attachments: item.attachments ?? [],
    comment_count: item.comment_count ?? 0,
    created_at: item.created_at,
    edited_at: item.edited_at ?? null,
    pinned: item.pinned_at !== undefined,
    comments_locked: item.comments_locked ?? false,
    ...(item.pinned_at ? { pinned_at: item.pinned_at } : {}),
  };
}

const stripPin = ({ pinned_at: _pinned_at, ...post }: Post & { pinned_at?: string }): Post => post;

/** Writes a post change on the condition that the post still stands, and tells open pages. */
async function changed(post_id: string, class_id: string, write: Promise<{ data: StoredPost }>): Promise<Post> {
  const { data } = await write.catch((error: unknown) => {
    if (isConditionFailure(error)) throw postNotFound();
    throw error;
  });
  await touch(class_id);
  return stripPin(toPost({ ...data, post_id, class_id }));
}

export const EditInput = z.object({ post_id: Id, content: Content(MAX_POST_LENGTH) });

/** The author edits their post's text. */
export const edit = fn(EditInput, Post, async ({ post_id, content }, actor) => {
  const { post } = await changeablePost(post_id, actor);
  if (post.author_id !== actor.userId) throw forbidden("post.not_author", "Only the author of this post can edit it.");
  const write = db()
    .entities.post.patch({ post_id })
    .set({ content, edited_at: new Date().toISOString() })
    .where((a, op) => op.notExists(a.removed_at))
    .go({ response: "all_new" });
  return changed(post_id, post.class_id, write);
});

export const RemoveInput = z.object({ post_id: Id });
export const Removed = z.object({ removed: z.literal(true) });

/**
 * Removes a post (its author, or a teacher): it is no longer listed, nor are its comments,
 * and it leaves the pin board. Removing it again answers `post.not_found`.
 */
export const remove = fn(RemoveInput, Removed, async ({ post_id }, actor) => {
  let { post, role } = await changeablePost(post_id, actor);
  const byAuthor = post.author_id === actor.userId;
  if (!byAuthor && role !== "teacher") throw forbidden("post.not_allowed", "Only the author of this post or a teacher of the class can remove it.");
  for await (const _attempt of attempts()) {
    // The pin board changes only if the post is still as pinned as it was read.
    const wasPinned = post.pinned;
    const result = await db()
      .transaction.write(({ post: posts, pinBoard }) => [
        posts
          .patch({ post_id })
          .set({ removed_at: new Date().toISOString(), removed_by_role: byAuthor ? "author" : "teacher" })
          .remove(["pinned_at"])
          .where((a, op) => `${op.notExists(a.removed_at)} AND ${wasPinned ? op.exists(a.pinned_at) : op.notExists(a.pinned_at)}`)
          .commit(),
        ...(wasPinned ? [pinBoard.update({ class_id: post.class_id }).delete({ post_ids: [post_id] }).subtract({ pinned_count: 1 }).commit()] : []),
      ])
      .go();
    if (!result.canceled) {
      await touch(post.class_id);
      return { removed: true as const };
    }
    // Removed meanwhile (then this answers not found) or pinned / unpinned meanwhile: read again.
    ({ post } = await changeablePost(post_id, actor));
  }
  throw contended("post");
});

export const LockInput = z.object({ post_id: Id, locked: z.boolean() });

/** A teacher locks (or unlocks) a post's comments: while locked nobody adds one. */
export const lock = fn(LockInput, Post, async ({ post_id, locked }, actor) => {
  const { post, role } = await changeablePost(post_id, actor);
  if (role !== "teacher") throw forbidden("class.teacher_only", "Only a teacher of this class can do this.");
  const write = db()
    .entities.post.patch({ post_id })
    .set({ comments_locked: locked })
    .where((a, op) => op.notExists(a.removed_at))
    .go({ response: "all_new" });
  return changed(post_id, post.class_id, write);
});

export const PinInput = z.object({ post_id: Id, pinned: z.boolean() });

/**
 * A teacher pins (or unpins) a post. At most `MAX_PINNED_POSTS` per class: the post and the
 * class's pin board change in one transaction, on the condition that the board has room.
 */
export const pin = fn(PinInput, Post, async ({ post_id, pinned }, actor) => {
  const { post, role } = await changeablePost(post_id, actor);
  if (role !== "teacher") throw forbidden("class.teacher_only", "Only a teacher of this class can do this.");
  if (post.pinned !== pinned) {
    const result = await db()
      .transaction.write(({ post: posts, pinBoard }) =>
        pinned
          ? [
              posts.patch({ post_id }).set({ pinned_at: new Date().toISOString() }).where((a, op) => `${op.notExists(a.removed_at)} AND ${op.notExists(a.pinned_at)}`).commit(),
              pinBoard
                .update({ class_id: post.class_id })
                .add({ post_ids: [post_id], pinned_count: 1 })
                .where((a, op) => `${op.notExists(a.pinned_count)} OR ${op.lt(a.pinned_count, MAX_PINNED_POSTS)}`)
                .commit(),
            ]
          : [
              posts.patch({ post_id }).remove(["pinned_at"]).where((a, op) => op.exists(a.pinned_at)).commit(),
              pinBoard.update({ class_id: post.class_id }).delete({ post_ids: [post_id] }).subtract({ pinned_count: 1 }).commit(),
            ],
      )
      .go();
    const outcome = transactionOutcome(result, ["post", "board"]);
    if (outcome.failed.has("board")) {
      throw conflict("post.pin_limit", `A class can have at most ${MAX_PINNED_POSTS} pinned posts. Unpin one first.`);
    }
    if (result.canceled && !outcome.failed.has("post")) throw contended("post");
    // A lost condition on the post: someone else pinned or unpinned it first; the answer below says how it stands.
    if (!result.canceled) await touch(post.class_id);
  }
  return visiblePost(post_id, actor, true);
});
