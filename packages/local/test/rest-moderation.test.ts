/** Moderation over REST with real tokens: every answer is also checked against the OpenAPI document by `call`. */
import { describe, expect, it, vi } from "vitest";
import { call, makeClass, newUser } from "./support.ts";

describe("moderating the chat", () => {
  it("lets the author edit and remove a message; the tombstone keeps its place; a teacher mutes a student", async () => {
    const { class_id, teacher, students } = await makeClass(2);
    const [alex, sam] = students as [typeof teacher, typeof teacher];
    const sent = await call("POST", "/chat/messages", { token: alex.token, body: { class_id, content: "helo" } });
    const edited = await call("PATCH", `/messages/${sent.body.message_id}`, { token: alex.token, body: { content: "hello" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ content: "hello", removed: null });
    expect(edited.body.edited_at).toEqual(expect.any(String));
    expect((await call("PATCH", `/messages/${sent.body.message_id}`, { token: sam.token, body: { content: "mine" } })).body.error.code).toBe("chat.not_author");

    const removed = await call("DELETE", `/messages/${sent.body.message_id}`, { token: teacher.token });
    expect(removed.body).toMatchObject({ content: "", removed: "teacher" });
    const list = await call("GET", `/chat/messages/${class_id}`, { token: sam.token });
    expect(list.body.messages.map((m: { content: string; removed: string | null }) => [m.content, m.removed])).toEqual([["", "teacher"]]);

    const muted = await call("PUT", `/classes/${class_id}/members/${sam.sub}/mute`, { token: teacher.token, body: { minutes: 30 } });
    expect(muted.status).toBe(200);
    const refused = await call("POST", "/chat/messages", { token: sam.token, body: { class_id, content: "let me in" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("chat.muted");
    expect(refused.body.error.message).toContain(muted.body.muted_until);
    await call("PUT", `/classes/${class_id}/members/${sam.sub}/mute`, { token: teacher.token, body: { minutes: 0 } });
    expect((await call("POST", "/chat/messages", { token: sam.token, body: { class_id, content: "thanks" } })).status).toBe(201);
  });
});

describe("moderating the stream", () => {
  it("edits, locks, pins and removes posts, and edits comments", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const student = students[0]!;
    const post = await call("POST", `/classes/${class_id}/posts`, { token: student.token, body: { content: "Study group?" } });
    expect((await call("PATCH", `/posts/${post.body.post_id}`, { token: student.token, body: { content: "Study group Friday?" } })).body.content).toBe(
      "Study group Friday?",
    );
    expect((await call("PUT", `/posts/${post.body.post_id}/lock`, { token: student.token, body: { locked: true } })).status).toBe(403);
    expect((await call("PUT", `/posts/${post.body.post_id}/lock`, { token: teacher.token, body: { locked: true } })).body.comments_locked).toBe(true);
    const locked = await call("POST", `/posts/${post.body.post_id}/comments`, { token: student.token, body: { content: "me!" } });
    expect([locked.status, locked.body.error.code]).toEqual([409, "post.comments_locked"]);
    await call("PUT", `/posts/${post.body.post_id}/lock`, { token: teacher.token, body: { locked: false } });
    const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: student.token, body: { content: "me!" } });
    expect((await call("PATCH", `/comments/${comment.body.comment_id}`, { token: student.token, body: { content: "me too!" } })).body.content).toBe("me too!");

    const announcement = await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "Quiz Monday", kind: "announcement" } });
    expect((await call("PUT", `/posts/${announcement.body.post_id}/pin`, { token: teacher.token, body: { pinned: true } })).body.pinned).toBe(true);
    const page = await call("GET", `/classes/${class_id}/posts`, { token: student.token });
    expect(page.body.pinned.map((p: { post_id: string }) => p.post_id)).toEqual([announcement.body.post_id]);

    expect((await call("DELETE", `/posts/${post.body.post_id}`, { token: student.token })).body).toEqual({ removed: true });
    expect((await call("GET", `/posts/${post.body.post_id}`, { token: teacher.token })).status).toBe(404);
    expect((await call("GET", `/posts/${post.body.post_id}/comments`, { token: teacher.token })).status).toBe(404);
  });
});

describe("members", () => {
  it("invites an email that never signed in; it joins on first sign-in; re-adding says who is there; roles change on their own", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const newcomer = await newUser("New Person");
    // Not seen by the API yet: adding the email creates an invitation.
    const invited = await call("POST", `/classes/${class_id}/members`, { token: teacher.token, body: { email: newcomer.email, role: "student" } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ status: "invited", invitation: { email: newcomer.email.toLowerCase(), role: "student" } });
    expect((await call("GET", `/classes/${class_id}/invitations`, { token: teacher.token })).body.invitations).toHaveLength(1);
    await vi.waitFor(async () => {
      const audit = await call("GET", `/classes/${class_id}/audit`, { token: teacher.token });
      expect(audit.body.events.map((e: { summary: string }) => e.summary)).toContain(`invited ${newcomer.email.toLowerCase()} as a student`);
    }, { timeout: 20_000, interval: 250 });
    // Their first call signs them in: the invitation becomes a membership.
    const mine = await call("GET", "/classes", { token: newcomer.token });
    expect(mine.body.classes.map((c: { class_id: string }) => c.class_id)).toContain(class_id);
    expect((await call("GET", `/classes/${class_id}/invitations`, { token: teacher.token })).body.invitations).toEqual([]);

    const again = await call("POST", `/classes/${class_id}/members`, { token: teacher.token, body: { email: students[0]!.email, role: "teacher" } });
    expect([again.status, again.body.error.code]).toEqual([409, "membership.exists"]);
    expect(again.body.error.message).toContain("already a student");
    const promoted = await call("PATCH", `/classes/${class_id}/members/${students[0]!.sub}`, { token: teacher.token, body: { role: "teacher" } });
    expect(promoted.body.role).toBe("teacher");
  });
});
