/**
 * Optimistic edits of the cached post stream and comment lists. Plain functions over the
 * cached shapes, so a comment count changes at once and is then set from the server's answer.
 */
import type { RouterOutputs } from "@classroom/api";
import type { InfiniteData } from "@tanstack/react-query";

export type PostPage = RouterOutputs["post"]["list"];
export type Post = PostPage["posts"][number];
export type CommentPage = RouterOutputs["comment"]["list"];
export type Comment = CommentPage["comments"][number];

/** Changes one post wherever the cached stream holds it: in its place and among the pinned. */
function mapPost(data: InfiniteData<PostPage> | undefined, post_id: string, change: (post: Post) => Post): InfiniteData<PostPage> | undefined {
  if (!data) return data;
  let changed = false;
  const mapList = (list: Post[]) => {
    const index = list.findIndex((p) => p.post_id === post_id);
    const before = list[index];
    if (!before) return list;
    const after = change(before);
    if (after === before) return list;
    changed = true;
    return list.map((p, i) => (i === index ? after : p));
  };
  const pages = data.pages.map((page) => {
    const posts = mapList(page.posts);
    const pinned = mapList(page.pinned);
    return posts === page.posts && pinned === page.pinned ? page : { ...page, posts, pinned };
  });
  return changed ? { ...data, pages } : data;
}

/**
 * The stream as shown: the pinned posts first (as the server orders them), then every other
 * post newest first, each once, however the pages overlap.
 */
export function streamOrder(pages: readonly PostPage[]): { pinned: Post[]; posts: Post[] } {
  const pinned = pages[0]?.pinned ?? [];
  const seen = new Set(pinned.map((p) => p.post_id));
  const posts: Post[] = [];
  for (const page of pages) {
    for (const post of page.posts) {
      if (seen.has(post.post_id) || post.pinned) continue;
      seen.add(post.post_id);
      posts.push(post);
    }
  }
  return { pinned, posts };
}

/** Moves a post's comment count by `delta` (never below zero). */
export function adjustCommentCount(data: InfiniteData<PostPage> | undefined, post_id: string, delta: number) {
  return mapPost(data, post_id, (p) => ({ ...p, comment_count: Math.max(0, p.comment_count + delta) }));
}

/** Sets a post's comment count to the server's number. */
export function setCommentCount(data: InfiniteData<PostPage> | undefined, post_id: string, count: number) {
  return mapPost(data, post_id, (p) => (p.comment_count === count ? p : { ...p, comment_count: count }));
}

export function withoutComment(data: CommentPage | undefined, comment_id: string): CommentPage | undefined {
  if (!data || !data.comments.some((c) => c.comment_id === comment_id)) return data;
  return { ...data, comments: data.comments.filter((c) => c.comment_id !== comment_id) };
}

export function withComment(data: CommentPage | undefined, comment: Comment): CommentPage {
  const comments = (data?.comments ?? []).filter((c) => c.comment_id !== comment.comment_id);
  return { cursor: data?.cursor ?? null, comments: [...comments, comment] };
}

export function replaceComment(data: CommentPage | undefined, temporaryId: string, comment: Comment): CommentPage | undefined {
  if (!data) return data;
  const withoutDuplicate = data.comments.filter((c) => c.comment_id !== comment.comment_id);
  return { ...data, comments: withoutDuplicate.map((c) => (c.comment_id === temporaryId ? comment : c)) };
}
