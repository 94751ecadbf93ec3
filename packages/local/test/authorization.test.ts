/**
 * Object-level authorization over REST: for every class-scoped route, people outside the
 * class (a non-member, a student and a teacher of another class) are refused with 404 and
 * the very same body as for an id that does not exist, and nothing changes.
 */
import { describe, expect, it } from "vitest";
import { call, makeClass, newUser, type TestUser } from "./support.ts";

describe("authorization matrix", () => {
  it("hides every class-scoped route from people outside the class", async () => {
    const home = await makeClass(1);
    const away = await makeClass(1);
    const nobody = await newUser();
    await call("GET", "/classes", { token: nobody.token });
    const message = await call("POST", "/chat/messages", { token: home.students[0]!.token, body: { class_id: home.class_id, content: "home only" } });
    const post = await call("POST", `/classes/${home.class_id}/posts`, { token: home.teacher.token, body: { content: "home post" } });
    const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: home.students[0]!.token, body: { content: "home comment" } });
    const ids = { class_id: home.class_id, message_id: message.body.message_id, post_id: post.body.post_id, comment_id: comment.body.comment_id };

    const requests = (who: TestUser) => [
      ["GET", `/chat/messages/${ids.class_id}`],
      ["POST", "/chat/messages", { class_id: ids.class_id, content: "intrusion" }],
      ["PUT", `/chat/messages/${ids.message_id}/reactions`, { reaction_type: "like" }],
      ["DELETE", `/comments/${ids.comment_id}`],
      ["GET", `/classes/${ids.class_id}`],
      ["GET", `/classes/${ids.class_id}/members`],
      ["POST", `/classes/${ids.class_id}/members`, { email: who.email, role: "teacher" }],
      ["DELETE", `/classes/${ids.class_id}/members/${home.students[0]!.sub}`],
      ["GET", `/classes/${ids.class_id}/posts`],
      ["POST", `/classes/${ids.class_id}/posts`, { content: "intrusion" }],
      ["GET", `/posts/${ids.post_id}/comments`],
      ["POST", `/posts/${ids.post_id}/comments`, { content: "intrusion" }],
    ] as const;

    for (const outsider of [nobody, away.students[0]!, away.teacher]) {
      for (const [method, path, body] of requests(outsider)) {
        const reply = await call(method, path, { token: outsider.token, ...(body ? { body } : {}) });
        expect(reply.status, `${method} ${path}`).toBe(404);
        const unknown = await call(method, path.replace(/[0-9A-Z]{26}/g, "01JZZZZZZZZZZZZZZZZZZZZZZZ").replace(/[0-9a-f-]{36}/g, "00000000-0000-0000-0000-000000000000"), {
          token: outsider.token,
          ...(body ? { body: { ...body, class_id: "01JZZZZZZZZZZZZZZZZZZZZZZZ" } } : {}),
        });
        expect(unknown.status, `unknown ${method} ${path}`).toBe(404);
        expect(reply.body.error.message, `${method} ${path}`).toBe(unknown.body.error.message);
      }
    }

    // Nothing changed for the class's own members.
    const messages = await call("GET", `/chat/messages/${home.class_id}`, { token: home.teacher.token });
    expect(messages.body.messages.map((m: { content: string; reactions: { like_count: number } }) => [m.content, m.reactions.like_count])).toEqual([["home only", 0]]);
    const members = await call("GET", `/classes/${home.class_id}/members`, { token: home.teacher.token });
    expect(members.body.members).toHaveLength(2);
    const posts = await call("GET", `/classes/${home.class_id}/posts`, { token: home.teacher.token });
    expect(posts.body.posts.map((p: { content: string; comment_count: number }) => [p.content, p.comment_count])).toEqual([["home post", 1]]);
  });

  it("lets students read and write their class but not manage its members", async () => {
    const { class_id, students, teacher } = await makeClass(2);
    const stranger = await newUser();
    await call("GET", "/classes", { token: stranger.token });
    const add = await call("POST", `/classes/${class_id}/members`, { token: students[0]!.token, body: { email: stranger.email, role: "student" } });
    expect(add.status).toBe(403);
    const remove = await call("DELETE", `/classes/${class_id}/members/${students[1]!.sub}`, { token: students[0]!.token });
    expect(remove.status).toBe(403);
    expect((await call("GET", `/classes/${class_id}/members`, { token: teacher.token })).body.members).toHaveLength(3);
  });
});
