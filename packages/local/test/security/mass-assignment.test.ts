/**
 * Mass assignment (threat T3): requests that carry fields the server owns (counts, authors,
 * statuses, roles, ids, timestamps, the class of an existing object) are accepted or refused,
 * but those fields never reach the table. Checked on the stored items, not on the responses.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeClass, newUser, type TestClass, type TestUser } from "../support.ts";
import { trpc } from "./http.ts";
import { byEntity, invariantViolations, scanTable, type Item } from "./table.ts";

let home: TestClass;
let other: TestClass;
let student: TestUser;

const LONG_AGO = "2001-01-01T00:00:00.000Z";
const stored = async (entity: string, match: (item: Item) => boolean) => {
  const found = byEntity(await scanTable(), entity).filter(match);
  expect(found, `${entity} stored once`).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  home = await makeClass(2);
  other = await makeClass(1);
  student = home.students[0]!;
});

describe("mass assignment", () => {
  it("stores a message with server-owned fields only (REST and tRPC)", async () => {
    const extras = {
      like_count: 99, heart_count: 42, liked_by: ["x"], hearted_by: ["y"], author_id: home.teacher.sub, author_name: "Teacher",
      created_at: LONG_AGO, expires_at: 1, status: 0, role: "teacher", message_count: 7, pk: "$x", sk: "$y", __edb_e__: "class",
    };
    const rest = await call("POST", "/chat/messages", { token: student.token, body: { class_id: home.class_id, content: "rest", ...extras } });
    const viaTrpc = await trpc("mutation", "chat.send", { class_id: home.class_id, content: "trpc", ...extras }, { token: student.token });
    expect(rest.status).toBe(201);
    expect(viaTrpc.status).toBe(200);
    for (const content of ["rest", "trpc"]) {
      const message = await stored("message", (m) => m.class_id === home.class_id && m.content === content);
      expect(message.author_id).toBe(student.sub);
      expect(message.author_name).toBe(student.name);
      expect(message.like_count).toBe(0);
      expect(message.heart_count).toBe(0);
      expect(message.liked_by).toBeUndefined();
      expect(message.hearted_by).toBeUndefined();
      expect(message.created_at > LONG_AGO).toBe(true);
      expect(message.expires_at).toBeGreaterThan(Date.now() / 1000);
      for (const key of ["status", "role", "message_count"]) expect(message[key], key).toBeUndefined();
    }
    const klass = await stored("class", (c) => c.class_id === home.class_id);
    expect(klass.message_count).toBe(2);
  });

  it("toggles a reaction by the caller only, whatever counts or sets the body names", async () => {
    const sent = await call("POST", "/chat/messages", { token: home.teacher.token, body: { class_id: home.class_id, content: "react to me" } });
    const body = { reaction_type: "like", like_count: 100, heart_count: 100, liked_by: [home.teacher.sub, "ghost"], message_id: "other", class_id: other.class_id, user_id: home.teacher.sub };
    const rest = await call("PUT", `/chat/messages/${sent.body.message_id}/reactions`, { token: student.token, body });
    expect(rest.body).toEqual({ like_count: 1, heart_count: 0 });
    const viaTrpc = await trpc("mutation", "chat.react", { ...body, message_id: sent.body.message_id, reaction_type: "heart" }, { token: student.token });
    expect(viaTrpc.status).toBe(200);
    const message = await stored("message", (m) => m.message_id === sent.body.message_id);
    expect([...message.liked_by]).toEqual([student.sub]);
    expect([...message.hearted_by]).toEqual([student.sub]);
    expect([message.like_count, message.heart_count]).toEqual([1, 1]);
    expect(message.class_id).toBe(home.class_id);
  });

  it("creates a class owned by the caller with zeroed counters", async () => {
    const extras = { class_id: "01CHOSENBYTHECALLER0000000", created_by: home.teacher.sub, created_at: LONG_AGO, message_count: 999, last_message_at: "9999-01-01T00:00:00.000Z", activity_seq: 5, role: "student" };
    const rest = await call("POST", "/classes", { token: student.token, body: { name: "Mass REST", ...extras } });
    const viaTrpc = await trpc("mutation", "class.create", { name: "Mass tRPC", ...extras }, { token: student.token });
    expect(rest.status).toBe(201);
    expect(viaTrpc.status).toBe(200);
    for (const name of ["Mass REST", "Mass tRPC"]) {
      const klass = await stored("class", (c) => c.name === name);
      expect(klass.class_id).not.toBe(extras.class_id);
      expect(klass.created_by).toBe(student.sub);
      expect(klass.message_count).toBe(0);
      expect(klass.last_message_at).toBeUndefined();
      expect(klass.created_at > LONG_AGO).toBe(true);
      const membership = await stored("membership", (m) => m.class_id === klass.class_id);
      expect([membership.user_id, membership.role]).toEqual([student.sub, "teacher"]);
    }
  });

  it("stores posts and comments in the class and post of the path, active, by the caller, with zero counts", async () => {
    const post = await call("POST", `/classes/${home.class_id}/posts`, {
      token: student.token,
      body: { content: "a post", class_id: other.class_id, post_id: "01CHOSENPOST00000000000000", author_id: home.teacher.sub, comment_count: 50, created_at: LONG_AGO },
    });
    expect(post.status).toBe(201);
    const storedPost = await stored("post", (p) => p.post_id === post.body.post_id);
    expect([storedPost.class_id, storedPost.author_id, storedPost.comment_count]).toEqual([home.class_id, student.sub, 0]);
    expect(storedPost.post_id).not.toBe("01CHOSENPOST00000000000000");

    const comment = await call("POST", `/posts/${post.body.post_id}/comments`, {
      token: student.token,
      body: { content: "a comment", status: 0, post_id: "elsewhere", class_id: other.class_id, author_id: home.teacher.sub, comment_id: "01CHOSENCOMMENT00000000000", deleted_at: LONG_AGO },
    });
    expect(comment.status).toBe(201);
    const viaTrpc = await trpc("mutation", "comment.create", { post_id: post.body.post_id, content: "via trpc", status: 0, class_id: other.class_id, author_id: home.teacher.sub }, { token: student.token });
    expect(viaTrpc.status).toBe(200);
    for (const content of ["a comment", "via trpc"]) {
      const c = await stored("comment", (item) => item.content === content && item.post_id === post.body.post_id);
      expect([c.status, c.class_id, c.author_id, c.deleted_at]).toEqual([1, home.class_id, student.sub, undefined]);
    }
    expect((await stored("post", (p) => p.post_id === post.body.post_id)).comment_count).toBe(2);

    // A delete takes no body: a body cannot revive or re-target it.
    const del = await call("DELETE", `/comments/${comment.body.comment_id}`, { token: student.token, body: { status: 1, comment_count: 9 } });
    expect(del.status).toBe(200);
    const deleted = await stored("comment", (c) => c.comment_id === comment.body.comment_id);
    expect(deleted.status).toBe(0);
    expect((await stored("post", (p) => p.post_id === post.body.post_id)).comment_count).toBe(1);
  });

  it("adds a member with the role asked for, in the class of the path, with the profile from the identity provider", async () => {
    const person = await newUser("Real Name");
    await call("GET", "/classes", { token: person.token });
    const added = await call("POST", `/classes/${home.class_id}/members`, {
      token: home.teacher.token,
      body: { email: person.email, role: "student", class_id: other.class_id, user_id: home.teacher.sub, user_name: "Fake", joined_at: LONG_AGO, class_name: "Fake class" },
    });
    expect(added.status).toBe(201);
    const membership = await stored("membership", (m) => m.class_id === home.class_id && m.user_id === person.sub);
    expect([membership.role, membership.user_name, membership.class_name]).toEqual(["student", "Real Name", "History"]);
    expect(membership.joined_at > LONG_AGO).toBe(true);
    expect(byEntity(await scanTable(), "membership").some((m) => m.class_id === other.class_id && m.user_id === person.sub)).toBe(false);
    expect(byEntity(await scanTable(), "membership").find((m) => m.class_id === home.class_id && m.user_id === home.teacher.sub)?.role).toBe("teacher");
  });

  it("keeps every invariant of the table", async () => {
    expect(invariantViolations(await scanTable())).toEqual([]);
  });
});
