import { describe, expect, it } from "vitest";
import { call, makeClass, newUser } from "./support.ts";

async function postWithComment(students = 2) {
  const klass = await makeClass(students);
  const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Read chapter 4" } });
  const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: klass.students[0]!.token, body: { content: "Done" } });
  expect(comment.status).toBe(201);
  return { ...klass, post_id: post.body.post_id as string, comment_id: comment.body.comment_id as string };
}

async function commentCount(post_id: string, token: string, class_id: string) {
  const posts = await call("GET", `/classes/${class_id}/posts`, { token });
  return posts.body.posts.find((p: { post_id: string }) => p.post_id === post_id).comment_count as number;
}

describe("DELETE /comments/{id}", () => {
  it("lets the author delete, answering the documented message, and the count drops once", async () => {
    const { class_id, post_id, comment_id, students } = await postWithComment();
    const first = await call("DELETE", `/comments/${comment_id}`, { token: students[0]!.token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ message: "Comment deleted successfully" });
    const again = await call("DELETE", `/comments/${comment_id}`, { token: students[0]!.token });
    expect(again.status).toBe(200);
    expect(await commentCount(post_id, students[0]!.token, class_id)).toBe(0);
    const listed = await call("GET", `/posts/${post_id}/comments`, { token: students[1]!.token });
    expect(listed.body.comments).toEqual([]);
  });

  it("lets a teacher of the class delete a student's comment", async () => {
    const { class_id, post_id, comment_id, teacher } = await postWithComment();
    expect((await call("DELETE", `/comments/${comment_id}`, { token: teacher.token })).status).toBe(200);
    expect(await commentCount(post_id, teacher.token, class_id)).toBe(0);
  });

  it("refuses another student (403), another class's teacher and outsiders (404), changing nothing", async () => {
    const { class_id, post_id, comment_id, students, teacher } = await postWithComment();
    const otherClass = await makeClass(1);
    const outsider = await newUser();
    const other = await call("DELETE", `/comments/${comment_id}`, { token: students[1]!.token });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("comment.not_allowed");
    for (const token of [otherClass.teacher.token, otherClass.students[0]!.token, outsider.token]) {
      const reply = await call("DELETE", `/comments/${comment_id}`, { token });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("comment.not_found");
    }
    expect((await call("DELETE", "/comments/unknown-id", { token: teacher.token })).status).toBe(404);
    expect(await commentCount(post_id, teacher.token, class_id)).toBe(1);
  });
});
