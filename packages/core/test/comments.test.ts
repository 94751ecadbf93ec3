import { describe, expect, it } from "vitest";
import * as Comment from "../src/comment/index.ts";
import { newId } from "../src/ids.ts";
import * as Post from "../src/post/index.ts";
import { db } from "../src/table.ts";
import { code, makeClass, makeUser } from "./factory.ts";

async function truth(post_id: string) {
  const { data: post } = await db().entities.post.get({ post_id }).go({ consistent: true });
  const { data: comments } = await db().entities.comment.query.byPost({ post_id }).go({ pages: "all" });
  return { count: post!.comment_count, active: comments.filter((c) => c.status === 1).length, comments };
}

describe("comments", () => {
  it("creates, lists and soft-deletes a comment, keeping who deleted it and when", async () => {
    const { class_id, teacher, students } = await makeClass();
    const post = await Post.create({ class_id, content: "Homework: read chapter 3" }, teacher);
    const comment = await Comment.create({ post_id: post.post_id, content: "Done!" }, students[0]!);
    expect((await Post.get({ post_id: post.post_id }, students[1]!)).comment_count).toBe(1);
    expect((await Comment.list({ post_id: post.post_id }, teacher)).comments.map((c) => c.content)).toEqual(["Done!"]);

    expect(await Comment.remove({ comment_id: comment.comment_id }, students[0]!)).toEqual({ deleted: true, comment_count: 0 });
    const { data } = await db().entities.comment.get({ comment_id: comment.comment_id }).go();
    expect(data).toMatchObject({ status: 0, deleted_by: students[0]!.userId });
    expect(data!.deleted_at).toBeTypeOf("string");
    expect((await Comment.list({ post_id: post.post_id }, teacher)).comments).toEqual([]);
  });

  it("decrements comment_count exactly once for repeated and concurrent deletes", async () => {
    const { class_id, teacher, students } = await makeClass();
    const post = await Post.create({ class_id, content: "p" }, teacher);
    const keep = await Comment.create({ post_id: post.post_id, content: "keep" }, students[1]!);
    const gone = await Comment.create({ post_id: post.post_id, content: "gone" }, students[0]!);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => Comment.remove({ comment_id: gone.comment_id }, students[0]!)),
      ...Array.from({ length: 5 }, () => Comment.remove({ comment_id: gone.comment_id }, teacher)),
    ]);
    expect(results.every((r) => r.deleted)).toBe(true);
    await Comment.remove({ comment_id: gone.comment_id }, teacher);
    const state = await truth(post.post_id);
    expect(state.count).toBe(1);
    expect(state.active).toBe(1);
    expect(state.comments.find((c) => c.comment_id === keep.comment_id)!.status).toBe(1);
  });

  it("keeps comment_count equal to the active comments after a random concurrent mix", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 5 });
    const post = await Post.create({ class_id, content: "discuss" }, teacher);
    const seedComments = await Promise.all(
      students.map((s, i) => Comment.create({ post_id: post.post_id, content: `first ${i}` }, s)),
    );
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const who = students[Math.floor(random() * students.length)]!;
      const target = seedComments[Math.floor(random() * seedComments.length)]!;
      if (random() < 0.5) ops.push(Comment.create({ post_id: post.post_id, content: `c${i}` }, who));
      else ops.push(Comment.remove({ comment_id: target.comment_id }, teacher));
    }
    await Promise.all(ops);
    const state = await truth(post.post_id);
    expect(state.count).toBe(state.active);
    expect(state.active).toBeGreaterThan(0);
  });

  it("lets only the author or a teacher of the class delete, and hides other classes", async () => {
    const { class_id, teacher, students } = await makeClass();
    const elsewhere = await makeClass();
    const post = await Post.create({ class_id, content: "p" }, teacher);
    const comment = await Comment.create({ post_id: post.post_id, content: "mine" }, students[0]!);

    expect(await code(Comment.remove({ comment_id: comment.comment_id }, students[1]!))).toBe("comment.not_allowed");
    expect(await code(Comment.remove({ comment_id: comment.comment_id }, elsewhere.teacher))).toBe("comment.not_found");
    expect(await code(Comment.remove({ comment_id: comment.comment_id }, await makeUser()))).toBe("comment.not_found");
    expect(await code(Comment.remove({ comment_id: newId() }, teacher))).toBe("comment.not_found");
    expect((await truth(post.post_id)).count).toBe(1);

    expect(await code(Comment.remove({ comment_id: comment.comment_id }, teacher))).toBe("resolved");
    expect((await truth(post.post_id)).count).toBe(0);
  });

  it("rejects blank or oversized comments and comments on hidden posts, changing nothing", async () => {
    const { class_id, teacher } = await makeClass();
    const post = await Post.create({ class_id, content: "p" }, teacher);
    expect(await code(Comment.create({ post_id: post.post_id, content: "  " }, teacher))).toBe("input.invalid");
    expect(await code(Comment.create({ post_id: post.post_id, content: "x".repeat(2001) }, teacher))).toBe("input.invalid");
    expect(await code(Comment.create({ post_id: post.post_id, content: "hi" }, await makeUser()))).toBe("post.not_found");
    expect(await code(Comment.create({ post_id: newId(), content: "hi" }, teacher))).toBe("post.not_found");
    expect(await truth(post.post_id)).toMatchObject({ count: 0, active: 0 });
  });
});

describe("posts", () => {
  it("lists a class's posts newest first across pages", async () => {
    const { class_id, teacher, students } = await makeClass();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await Post.create({ class_id, content: `post ${i}` }, i % 2 ? teacher : students[0]!));
    const first = await Post.list({ class_id, limit: 3 }, students[1]!);
    const second = await Post.list({ class_id, limit: 3, cursor: first.cursor! }, students[1]!);
    expect([...first.posts, ...second.posts].map((p) => p.content)).toEqual(made.map((p) => p.content).reverse());
    expect(second.cursor).toBeNull();
    expect(await code(Post.list({ class_id }, await makeUser()))).toBe("class.not_found");
  });
});
