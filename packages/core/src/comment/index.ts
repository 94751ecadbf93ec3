/**
 * Comments on posts. A post's `comment_count` always equals its number of active comments:
 * creating a comment and bumping the count is one transaction; deleting is one transaction
 * that flips `status` 1 -> 0 ONLY if it is still 1 and decrements the count. A repeated or
 * concurrent delete loses that condition, so it changes nothing and the count drops once.
 */
import * as z from "zod";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { attempts, contended, isConditionFailure, transactionOutcome } from "../dynamo-errors.ts";
import { conflict, forbidden, notFound, notFoundAs } from "../errors.ts";
import { Content, Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { DEFAULT_COMMENT_PAGE, MAX_COMMENT_LENGTH, MAX_COMMENT_PAGE } from "../limits.ts";
import { requireWritableClass, requireWriter, touch } from "../class/index.ts";
import { requireMemberOr } from "../membership/index.ts";
import { postNotFound, visiblePost } from "../post/index.ts";
import { db } from "../table.ts";
import { COMMENT_ACTIVE, COMMENT_DELETED } from "./entity.ts";

export const Comment = z
  .object({
    comment_id: z.string(),
    post_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    status: z.union([z.literal(0), z.literal(1)]).meta({ description: "1 active, 0 deleted" }),
    created_at: Timestamp,
    edited_at: Timestamp.nullable().meta({ description: "When the author last edited the text; null if never" }),
  })
  .meta({ id: "Comment" });
export type Comment = z.output<typeof Comment>;

export const CommentPage = z
  .object({
    comments: z.array(Comment).meta({ description: "Oldest first" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next page. null on the last page." }),
  })
  .meta({ id: "CommentPage" });

export const Removed = z.object({ deleted: z.literal(true), comment_count: z.number().int() });

const commentNotFound = () => notFound("comment.not_found", "No comment with this id was found.");
const commentsLocked = () => conflict("post.comments_locked", "A teacher locked the comments on this post.");

export const CreateInput = z.object({ post_id: Id, content: Content(MAX_COMMENT_LENGTH) });

export const create = fn(CreateInput, Comment, async ({ post_id, content }, actor) => {
  const post = await visiblePost(post_id, actor, true);
  const { role, stream_policy } = await requireWriter(post.class_id, actor);
  if (role !== "teacher" && stream_policy === "teachers_only") {
    throw forbidden("comment.students_cannot_comment", "In this class only teachers post and comment.");
  }
  if (post.comments_locked) throw commentsLocked();
  const comment: Comment = {
    comment_id: newId(),
    post_id,
    class_id: post.class_id,
    author_id: actor.userId,
    author_name: actor.name,
    content,
    status: COMMENT_ACTIVE,
    created_at: new Date().toISOString(),
    edited_at: null,
  };
  const { edited_at: _never, ...stored } = comment;
  for await (const _attempt of attempts()) {
    const result = await db()
      .transaction.write(({ comment: entity, post: posts }) => [
        entity.create(stored).commit(),
        posts
          .patch({ post_id })
          .add({ comment_count: 1 })
          .where((a, op) => `${op.notExists(a.removed_at)} AND ${op.ne(a.comments_locked, true)}`)
          .commit(),
      ])
      .go();
    if (!result.canceled) {
      await touch(post.class_id);
      return comment;
    }
    if (transactionOutcome(result, ["comment", "post"]).failed.has("post")) {
      // Removed or locked since it was read: say which.
      throw (await visiblePost(post_id, actor, true)).comments_locked ? commentsLocked() : postNotFound();
    }
  }
  throw contended("post");
});

export const ListInput = z.object({
  post_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_COMMENT_PAGE).default(DEFAULT_COMMENT_PAGE),
  cursor: Cursor.optional(),
});

/** Active comments of a post, oldest first. */
export const list = fn(ListInput, CommentPage, async ({ post_id, limit, cursor }, actor) => {
  await visiblePost(post_id, actor);
  const scope = `comments:${post_id}`;
  const after = positionOf(scope, cursor);
  const query = db().entities.comment.query.byPost({ post_id });
  const ranged = after ? query.gt({ created_at: after.created_at, comment_id: after.id }) : query;
  const { data } = await ranged
    .where((attr, op) => op.eq(attr.status, COMMENT_ACTIVE))
    .go({ order: "asc", limit: limit + 1, count: limit + 1 });
  const page = keysetPage(scope, data.map(toComment), limit, (c) => ({ created_at: c.created_at, id: c.comment_id }));
  return { comments: page.items, cursor: page.cursor };
});

export const RemoveInput = z.object({ comment_id: Id });

/**
 * Soft-deletes a comment. Allowed for its author and for teachers of its class.
 * Deleting an already deleted comment succeeds and changes nothing (idempotent).
 */
export const remove = fn(RemoveInput, Removed, async ({ comment_id }, actor) => {
  const { data: comment } = await db().entities.comment.get({ comment_id }).go({ consistent: true });
  if (!comment) throw commentNotFound();
  const [role] = await Promise.all([
    requireMemberOr(comment.class_id, actor, commentNotFound),
    requireWritableClass(comment.class_id).catch(notFoundAs(commentNotFound)),
  ]);
  if (comment.author_id !== actor.userId && role !== "teacher") {
    throw forbidden("comment.not_allowed", "Only the author of this comment or a teacher of the class can delete it.");
  }

  const countNow = async () => {
    const { data } = await db().entities.post.get({ post_id: comment.post_id }).go({ consistent: true });
    return data?.comment_count ?? 0;
  };
  if (comment.status === COMMENT_DELETED) return { deleted: true as const, comment_count: await countNow() };

  for await (const _attempt of attempts()) {
    const deleted_at = new Date().toISOString();
    const result = await db()
      .transaction.write(({ comment: entity, post }) => [
        entity
          .patch({ comment_id })
          .set({ status: COMMENT_DELETED, deleted_at, deleted_by: actor.userId, deleted_by_role: comment.author_id === actor.userId ? "author" : "teacher" })
          .where((attr, op) => op.eq(attr.status, COMMENT_ACTIVE))
          .commit(),
        post.patch({ post_id: comment.post_id }).subtract({ comment_count: 1 }).commit(),
      ])
      .go();
    // Committed, or another delete won the race: either way the comment is deleted exactly once.
    if (!result.canceled || transactionOutcome(result, ["comment", "post"]).failed.has("comment")) {
      if (!result.canceled) await touch(comment.class_id);
      return { deleted: true as const, comment_count: await countNow() };
    }
  }
  throw contended("comment");
});

export const EditInput = z.object({ comment_id: Id, content: Content(MAX_COMMENT_LENGTH) });

/** The author edits their comment's text (while it and its post stand). */
export const edit = fn(EditInput, Comment, async ({ comment_id, content }, actor) => {
  const { data: comment } = await db().entities.comment.get({ comment_id }).go({ consistent: true });
  if (!comment || comment.status !== COMMENT_ACTIVE) throw commentNotFound();
  const [post] = await Promise.all([
    visiblePost(comment.post_id, actor, true).catch(notFoundAs(commentNotFound)),
    requireWritableClass(comment.class_id).catch(notFoundAs(commentNotFound)),
  ]);
  if (comment.author_id !== actor.userId) throw forbidden("comment.not_author", "Only the author of this comment can edit it.");
  const { data } = await db()
    .entities.comment.patch({ comment_id })
    .set({ content, edited_at: new Date().toISOString() })
    .where((a, op) => op.eq(a.status, COMMENT_ACTIVE))
    .go({ response: "all_new" })
    .catch((error: unknown) => {
      if (isConditionFailure(error)) throw commentNotFound();
      throw error;
    });
  await touch(post.class_id);
  return toComment(data);
});

function toComment(item: Omit<Comment, "status" | "edited_at"> & { status: number; edited_at?: string | undefined }): Comment {
  return {
    comment_id: item.comment_id,
    post_id: item.post_id,
    class_id: item.class_id,
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    status: item.status === COMMENT_ACTIVE ? 1 : 0,
    edited_at: item.edited_at ?? null,
    created_at: item.created_at,
  };
}
