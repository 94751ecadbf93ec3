import * as z from "zod";
import { Cursor, decodeCursor, encodeCursor, joinPosition, splitPosition } from "../cursor.ts";
import { DomainError, notFound } from "../errors.ts";
import { fn } from "../fn.ts";
import type { Actor } from "../actor.ts";
import { Id, newId } from "../ids.ts";
import { touch } from "../class/index.ts";
import { requireMember } from "../membership/index.ts";
import { db } from "../table.ts";

export const MAX_POST_LENGTH = 5000;

export interface Post {
  post_id: string;
  class_id: string;
  author_id: string;
  author_name: string;
  content: string;
  comment_count: number;
  created_at: string;
}

export const CreateInput = z.object({
  class_id: Id,
  content: z
    .string()
    .max(MAX_POST_LENGTH, `must be at most ${MAX_POST_LENGTH} characters`)
    .transform((value) => value.trim())
    .refine((value) => value.length > 0, "must not be empty"),
});

/** Any member may post to the class stream. */
export const create = fn(CreateInput, async ({ class_id, content }, actor): Promise<Post> => {
  await requireMember(class_id, actor);
  const post: Post = {
    post_id: newId(),
    class_id,
    author_id: actor.userId,
    author_name: actor.name,
    content,
    comment_count: 0,
    created_at: new Date().toISOString(),
  };
  await db().entities.post.create(post).go();
  await touch(class_id);
  return post;
});

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: Cursor.optional(),
});

/** Newest first. */
export const list = fn(ListInput, async ({ class_id, limit, cursor }, actor): Promise<{ posts: Post[]; cursor: string | null }> => {
  await requireMember(class_id, actor);
  const scope = `posts:${class_id}`;
  const before = cursor ? splitPosition(decodeCursor(scope, cursor)) : undefined;
  const query = db().entities.post.query.byClass({ class_id });
  const ranged = before ? query.lt({ created_at: before.created_at, post_id: before.id }) : query;
  const { data } = await ranged.go({ order: "desc", limit: limit + 1, count: limit + 1 });
  const page = data.slice(0, limit).map(toPost);
  const last = page[page.length - 1];
  return { posts: page, cursor: data.length > limit && last ? encodeCursor(scope, joinPosition(last.created_at, last.post_id)) : null };
});

export const GetInput = z.object({ post_id: Id });

export const get = fn(GetInput, async ({ post_id }, actor): Promise<Post> => {
  const post = await visiblePost(post_id, actor, true);
  return post;
});

/** A post the actor may see (member of its class); anything else is `post.not_found`. */
export async function visiblePost(postId: string, actor: Actor, consistent = false): Promise<Post> {
  const missing = () => notFound("post.not_found", "No post with this id was found.");
  const { data } = await db().entities.post.get({ post_id: postId }).go({ consistent });
  if (!data) throw missing();
  try {
    await requireMember(data.class_id, actor);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw missing();
    throw error;
  }
  return toPost(data);
}

function toPost(item: Omit<Post, "comment_count"> & { comment_count?: number | undefined }): Post {
  return {
    post_id: item.post_id,
    class_id: item.class_id,
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    comment_count: item.comment_count ?? 0,
    created_at: item.created_at,
  };
}
