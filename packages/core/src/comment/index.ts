/**
 * Comments on posts. A post's `comment_count` always equals its number of active comments:
 * creating a comment and bumping the count is one transaction; deleting is one transaction
 * that flips `status` 1 -> 0 ONLY if it is still 1 and decrements the count. A repeated or
 * concurrent delete loses that condition, so it changes nothing and the count drops once.
 */
import * as z from "zod";
import { Cursor, decodeCursor, encodeCursor, joinPosition, splitPosition } from "../cursor.ts";
import { attempts, cancellationCodes, contended } from "../dynamo-errors.ts";
import { DomainError, forbidden, notFound } from "../errors.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { touch } from "../class/index.ts";
import { requireMember } from "../membership/index.ts";
import { visiblePost } from "../post/index.ts";
import { db } from "../table.ts";
import { COMMENT_ACTIVE, COMMENT_DELETED } from "./entity.ts";

export const MAX_COMMENT_LENGTH = 2000;

export interface Comment {
  comment_id: string;
  post_id: string;
  class_id: string;
  author_id: string;
  author_name: string;
  content: string;
  status: 0 | 1;
  created_at: string;
}

export const CreateInput = z.object({
  post_id: Id,
  content: z
    .string()
    .max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`)
    .transform((value) => value.trim())
    .refine((value) => value.length > 0, "must not be empty"),
});

export const create = fn(CreateInput, async ({ post_id, content }, actor): Promise<Comment> => {
  const post = await visiblePost(post_id, actor, true);
  const comment: Comment = {
    comment_id: newId(),
    post_id,
    class_id: post.class_id,
    author_id: actor.userId,
    author_name: actor.name,
    content,
    status: COMMENT_ACTIVE,
    created_at: new Date().toISOString(),
  };
  for await (const _attempt of attempts()) {
    const result = await db()
      .transaction.write(({ comment: entity, post: posts }) => [
        entity.create(comment).commit(),
        posts.patch({ post_id }).add({ comment_count: 1 }).commit(),
      ])
      .go();
    if (!result.canceled) {
      await touch(post.class_id);
      return comment;
    }
    const codes = cancellationCodes(result);
    if (codes[1] === "ConditionalCheckFailed") throw notFound("post.not_found", "No post with this id was found.");
  }
  throw contended("post");
});

export const ListInput = z.object({
  post_id: Id,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: Cursor.optional(),
});

/** Active comments of a post, oldest first. */
export const list = fn(ListInput, async ({ post_id, limit, cursor }, actor): Promise<{ comments: Comment[]; cursor: string | null }> => {
  await visiblePost(post_id, actor);
  const scope = `comments:${post_id}`;
  const after = cursor ? splitPosition(decodeCursor(scope, cursor)) : undefined;
  const query = db().entities.comment.query.byPost({ post_id });
  const ranged = after ? query.gt({ created_at: after.created_at, comment_id: after.id }) : query;
  const { data } = await ranged
    .where((attr, op) => op.eq(attr.status, COMMENT_ACTIVE))
    .go({ order: "asc", limit: limit + 1, count: limit + 1 });
  const page = data.slice(0, limit).map(toComment);
  const last = page[page.length - 1];
  return { comments: page, cursor: data.length > limit && last ? encodeCursor(scope, joinPosition(last.created_at, last.comment_id)) : null };
});

export const RemoveInput = z.object({ comment_id: Id });

/**
 * Soft-deletes a comment. Allowed for its author and for teachers of its class.
 * Deleting an already deleted comment succeeds and changes nothing (idempotent).
 */
export const remove = fn(RemoveInput, async ({ comment_id }, actor): Promise<{ deleted: true; comment_count: number }> => {
  const missing = () => notFound("comment.not_found", "No comment with this id was found.");
  const { data: comment } = await db().entities.comment.get({ comment_id }).go({ consistent: true });
  if (!comment) throw missing();
  let role;
  try {
    role = await requireMember(comment.class_id, actor);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw missing();
    throw error;
  }
  if (comment.author_id !== actor.userId && role !== "teacher") {
    throw forbidden("comment.not_allowed", "Only the author of this comment or a teacher of the class can delete it.");
  }

  const countNow = async () => {
    const { data } = await db().entities.post.get({ post_id: comment.post_id }).go({ consistent: true });
    return data?.comment_count ?? 0;
  };
  if (comment.status === COMMENT_DELETED) return { deleted: true, comment_count: await countNow() };

  for await (const _attempt of attempts()) {
    const deleted_at = new Date().toISOString();
    const result = await db()
      .transaction.write(({ comment: entity, post }) => [
        entity
          .patch({ comment_id })
          .set({ status: COMMENT_DELETED, deleted_at, deleted_by: actor.userId })
          .where((attr, op) => op.eq(attr.status, COMMENT_ACTIVE))
          .commit(),
        post.patch({ post_id: comment.post_id }).subtract({ comment_count: 1 }).commit(),
      ])
      .go();
    const codes = cancellationCodes(result);
    // Committed, or another delete won the race: either way the comment is deleted exactly once.
    if (!result.canceled || codes[0] === "ConditionalCheckFailed") {
      if (!result.canceled) await touch(comment.class_id);
      return { deleted: true, comment_count: await countNow() };
    }
  }
  throw contended("comment");
});

function toComment(item: Omit<Comment, "status"> & { status: number }): Comment {
  return {
    comment_id: item.comment_id,
    post_id: item.post_id,
    class_id: item.class_id,
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    status: item.status === COMMENT_ACTIVE ? 1 : 0,
    created_at: item.created_at,
  };
}
