import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import {
  type Comment,
  type Post,
  type PostPage,
  adjustCommentCount,
  replaceComment,
  setCommentCount,
  streamOrder,
  withComment,
  withoutComment,
} from "./cache.ts";

const post = (post_id: string, comment_count: number): Post => ({
  post_id,
  class_id: "c1",
  kind: "announcement",
  author_id: "t1",
  author_name: "Ms. Rivera",
  content: "Read chapter 3",
  comment_count,
  created_at: "2030-01-01T09:00:00.000Z",
  edited_at: null,
  pinned: false,
  comments_locked: false,
  attachments: [],
});

const comment = (comment_id: string): Comment => ({
  comment_id,
  post_id: "p1",
  class_id: "c1",
  author_id: "s1",
  author_name: "Alex Kim",
  content: "Thanks",
  status: 1,
  created_at: "2030-01-01T09:01:00.000Z",
  edited_at: null,
});

const stream: InfiniteData<PostPage> = {
  pages: [
    { pinned: [], posts: [post("p1", 2), post("p2", 0)], cursor: "next" },
    { pinned: [], posts: [post("p3", 5)], cursor: null },
  ],
  pageParams: [undefined, "next"],
};

describe("comment counts in the cached stream", () => {
  it("moves the count of one post, on any page, never below zero", () => {
    expect(adjustCommentCount(stream, "p1", +1)?.pages[0]?.posts[0]?.comment_count).toBe(3);
    expect(adjustCommentCount(stream, "p3", -1)?.pages[1]?.posts[0]?.comment_count).toBe(4);
    expect(adjustCommentCount(stream, "p2", -1)?.pages[0]?.posts[1]?.comment_count).toBe(0);
    expect(stream.pages[0]?.posts[0]?.comment_count).toBe(2); // not mutated
  });

  it("sets the server's count, and leaves the cache untouched when nothing changes", () => {
    expect(setCommentCount(stream, "p1", 1)?.pages[0]?.posts[0]?.comment_count).toBe(1);
    expect(setCommentCount(stream, "p1", 2)).toBe(stream);
    expect(adjustCommentCount(stream, "unknown", 1)).toBe(stream);
    expect(adjustCommentCount(undefined, "p1", 1)).toBeUndefined();
  });
});

describe("comment lists", () => {
  it("adds, confirms and removes comments without duplicates", () => {
    let list = withComment(undefined, comment("pending-1"));
    expect(list.comments.map((c) => c.comment_id)).toEqual(["pending-1"]);
    list = replaceComment(list, "pending-1", comment("c9"))!;
    expect(list.comments.map((c) => c.comment_id)).toEqual(["c9"]);
    // A refetch already brought c9 and the temporary one is still there: keep one c9.
    list = replaceComment({ cursor: null, comments: [comment("c9"), comment("pending-2")] }, "pending-2", comment("c9"))!;
    expect(list.comments.map((c) => c.comment_id)).toEqual(["c9"]);
    expect(withoutComment(list, "c9")?.comments).toEqual([]);
    expect(withoutComment(list, "nope")).toBe(list);
  });
});

describe("pinned posts", () => {
  const pinned = (post_id: string, comment_count = 0): Post => ({ ...post(post_id, comment_count), pinned: true });

  it("shows the pinned posts first and every other post once, newest first", () => {
    const pages: PostPage[] = [
      { pinned: [pinned("p7"), pinned("p2")], posts: [post("p9", 0), post("p8", 0), pinned("p7"), post("p6", 0)], cursor: "next" },
      { pinned: [], posts: [post("p6", 0), post("p3", 0), pinned("p2")], cursor: null },
    ];
    const shown = streamOrder(pages);
    expect(shown.pinned.map((p) => p.post_id)).toEqual(["p7", "p2"]);
    expect(shown.posts.map((p) => p.post_id)).toEqual(["p9", "p8", "p6", "p3"]);
  });

  it("moves the comment count of a pinned post too", () => {
    const data: InfiniteData<PostPage> = { pages: [{ pinned: [pinned("p1", 2)], posts: [pinned("p1", 2)], cursor: null }], pageParams: [undefined] };
    const after = adjustCommentCount(data, "p1", +1);
    expect(after?.pages[0]?.pinned[0]?.comment_count).toBe(3);
    expect(after?.pages[0]?.posts[0]?.comment_count).toBe(3);
  });
});
