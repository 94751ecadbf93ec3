/** The class stream: posts, newest first. */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { Content, Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { DEFAULT_POST_PAGE, MAX_POST_LENGTH, MAX_POST_PAGE } from "../limits.ts";
import { touch } from "../class/index.ts";
import { requireMember, requireMemberOr } from "../membership/index.ts";
import { db } from "../table.ts";

export const Post = z
  .object({
    post_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    comment_count: z.number().int(),
    created_at: Timestamp,
  })
  .meta({ id: "Post" });
export type Post = z.output<typeof Post>;

export const PostPage = z
  .object({
    posts: z.array(Post).meta({ description: "Newest first" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next (older) page. null on the last page." }),
  })
  .meta({ id: "PostPage" });

export const postNotFound = () => notFound("post.not_found", "No post with this id was found.");

export const CreateInput = z.object({ class_id: Id, content: Content(MAX_POST_LENGTH) });

/** Any member may post to the class stream. */
export const create = fn(CreateInput, Post, async ({ class_id, content }, actor) => {
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
  const { data } = await ranged.go({ order: "desc", limit: limit + 1, count: limit + 1 });
  const page = keysetPage(scope, data.map(toPost), limit, (p) => ({ created_at: p.created_at, id: p.post_id }));
  return { posts: page.items, cursor: page.cursor };
});

export const GetInput = z.object({ post_id: Id });

export const get = fn(GetInput, Post, ({ post_id }, actor) => visiblePost(post_id, actor, true));

/** A post the actor may see (member of its class); anything else is `post.not_found`. */
export async function visiblePost(postId: string, actor: Actor, consistent = false): Promise<Post> {
  const { data } = await db().entities.post.get({ post_id: postId }).go({ consistent });
  if (!data) throw postNotFound();
  await requireMemberOr(data.class_id, actor, postNotFound);
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
