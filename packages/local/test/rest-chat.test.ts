import { operations } from "@classroom/api/rest/operations";
import type * as z from "zod";

/** The response schema an operation documents, with no extra fields allowed. */
const exactly = (name: keyof typeof operations) => (operations[name].response as z.ZodObject).strict();
const Sent = exactly("sendMessage");
const MessageList = exactly("listMessages");
const ReactionCounts = exactly("toggleReaction");
import { describe, expect, it } from "vitest";
import { call, makeClass, newUser } from "./support.ts";

describe("POST /chat/messages", () => {
  it("answers 201 with exactly { message_id, created_at }", async () => {
    const { class_id, students } = await makeClass();
    const reply = await call("POST", "/chat/messages", { token: students[0]!.token, body: { class_id, content: "Hi all" } });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(["created_at", "message_id"]);
    expect(Sent.safeParse(reply.body).success).toBe(true);
  });

  it("is idempotent with a client-chosen message_id", async () => {
    const { class_id, teacher } = await makeClass(0);
    const body = { class_id, content: "only once", message_id: "client-msg-0001" };
    const first = await call("POST", "/chat/messages", { token: teacher.token, body });
    const retry = await call("POST", "/chat/messages", { token: teacher.token, body });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const list = await call("GET", `/chat/messages/${class_id}`, { token: teacher.token });
    expect(list.body.messages).toHaveLength(1);
  });

  it("refuses bad input with 400 and the error shape, storing nothing", async () => {
    const { class_id, teacher } = await makeClass(0);
    const cases: Array<{ body?: unknown; rawBody?: string; code: string }> = [
      { body: { class_id, content: "   " }, code: "input.invalid" },
      { body: { class_id, content: "x".repeat(2001) }, code: "input.invalid" },
      { body: { class_id }, code: "input.invalid" },
      { body: { class_id, content: 42 }, code: "input.invalid" },
      { body: { content: "no class" }, code: "input.invalid" },
      { body: [1, 2], code: "input.invalid" },
      { rawBody: "{not json", code: "request.bad_request" },
    ];
    for (const c of cases) {
      const reply = await call("POST", "/chat/messages", { token: teacher.token, ...c });
      expect(reply.status, JSON.stringify(c)).toBe(400);
      expect(reply.body).toEqual({ error: { code: c.code, message: expect.any(String) } });
    }
    const list = await call("GET", `/chat/messages/${class_id}`, { token: teacher.token });
    expect(list.body.messages).toEqual([]);
  });

  it("answers 429 with Retry-After to a flood from one user while others go on", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    // More than two windows' worth, so a 429 comes even if the flood straddles a window's end.
    const replies = await Promise.all(
      Array.from({ length: 130 }, (_, i) => call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: `flood ${i}` } })),
    );
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    expect(limited[0]!.body.error.code).toBe("rate.limited");
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await call("POST", "/chat/messages", { token: students[0]!.token, body: { class_id, content: "me too" } });
    expect(other.status).toBe(201);
    const listed: string[] = [];
    let key: string | null = null;
    do {
      const query: string = key ? `?limit=100&lastEvaluatedKey=${encodeURIComponent(key)}` : "?limit=100";
      const page = await call("GET", `/chat/messages/${class_id}${query}`, { token: students[0]!.token });
      listed.push(...page.body.messages.map((m: { message_id: string }) => m.message_id));
      key = page.body.lastEvaluatedKey;
    } while (key);
    // Exactly the acknowledged messages were stored: nothing refused was written.
    expect(listed).toHaveLength(replies.length - limited.length + 1);
  });
});

describe("GET /chat/messages/{class_id}", () => {
  it("pages with limit and lastEvaluatedKey, oldest first, losing and repeating nothing", async () => {
    const { class_id, teacher } = await makeClass(0);
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: `n${i}` } });
      sent.push(reply.body.message_id);
    }
    const seen: string[] = [];
    let key: string | null = null;
    let pages = 0;
    do {
      const query: string = key ? `?limit=5&lastEvaluatedKey=${encodeURIComponent(key)}` : "?limit=5";
      const reply = await call("GET", `/chat/messages/${class_id}${query}`, { token: teacher.token });
      expect(reply.status).toBe(200);
      expect(MessageList.safeParse(reply.body).success).toBe(true);
      expect(Object.keys(reply.body).sort()).toEqual(["lastEvaluatedKey", "messages", "poll_after_ms"]);
      // The hint comes with the last page only: while there are more, the next page is due at once.
      expect(reply.body.poll_after_ms).toBe(reply.body.lastEvaluatedKey ? null : 3000);
      seen.push(...reply.body.messages.map((m: { message_id: string }) => m.message_id));
      key = reply.body.lastEvaluatedKey;
      pages++;
    } while (key);
    expect(pages).toBe(3);
    expect(seen).toEqual(sent);
  });

  it("returns exactly the messages after lastMessageTimestamp", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const a = await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: "a" } });
    const b = await call("POST", "/chat/messages", { token: students[0]!.token, body: { class_id, content: "b" } });
    const c = await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: "c" } });
    const after = await call("GET", `/chat/messages/${class_id}?lastMessageTimestamp=${a.body.created_at}`, { token: teacher.token });
    expect(after.body.messages.map((m: { content: string }) => m.content)).toEqual(["b", "c"]);
    expect(after.body.lastEvaluatedKey).toBeNull();
    const none = await call("GET", `/chat/messages/${class_id}?lastMessageTimestamp=${c.body.created_at}`, { token: teacher.token });
    expect(none.body.messages).toEqual([]);
    expect(b.status).toBe(201);
  });

  it("tells a poller how soon to come back: 15 s while the class is quiet, 3 s once a message arrives", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const quiet = await call("GET", `/chat/messages/${class_id}`, { token: students[0]!.token });
    expect(quiet.body).toEqual({ messages: [], lastEvaluatedKey: null, poll_after_ms: 15_000 });
    const since = new Date(Date.now() - 1000).toISOString();
    const idle = await call("GET", `/chat/messages/${class_id}?lastMessageTimestamp=${since}`, { token: students[0]!.token });
    expect(idle.body.poll_after_ms).toBe(15_000);

    const sent = await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: "Pop quiz in five minutes" } });
    const news = await call("GET", `/chat/messages/${class_id}?lastMessageTimestamp=${since}`, { token: students[0]!.token });
    expect(news.body.messages.map((m: { message_id: string }) => m.message_id)).toEqual([sent.body.message_id]);
    expect(news.body.poll_after_ms).toBe(3000);
    // Caught up, with nothing new: still the class's pace, which a message seconds ago makes fast.
    const caughtUp = await call("GET", `/chat/messages/${class_id}?lastMessageTimestamp=${sent.body.created_at}`, { token: students[0]!.token });
    expect(caughtUp.body).toEqual({ messages: [], lastEvaluatedKey: null, poll_after_ms: 3000 });
    expect(MessageList.safeParse(caughtUp.body).success).toBe(true);
  });

  it("rejects bad limits, timestamps and cursors with 400", async () => {
    const { class_id, teacher } = await makeClass(0);
    for (const query of ["limit=0", "limit=101", "limit=abc", "lastMessageTimestamp=yesterday", "lastEvaluatedKey=forged.key"]) {
      const reply = await call("GET", `/chat/messages/${class_id}?${query}`, { token: teacher.token });
      expect(reply.status, query).toBe(400);
      expect(["input.invalid", "cursor.invalid"]).toContain(reply.body.error.code);
    }
  });

  it("answers 404 alike for an unknown class and a class the caller is not in", async () => {
    const { class_id } = await makeClass(0);
    const outsider = await newUser();
    const hidden = await call("GET", `/chat/messages/${class_id}`, { token: outsider.token });
    const unknown = await call("GET", `/chat/messages/01JUNKNOWNCLASS0000000000`, { token: outsider.token });
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(hidden.body).toEqual(unknown.body);
  });
});

describe("PUT /chat/messages/{id}/reactions", () => {
  it("toggles and answers exactly { like_count, heart_count }", async () => {
    const { class_id, teacher, students } = await makeClass(2);
    const sent = await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: "react" } });
    const path = `/chat/messages/${sent.body.message_id}/reactions`;
    const one = await call("PUT", path, { token: students[0]!.token, body: { reaction_type: "like" } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ like_count: 1, heart_count: 0 });
    expect(ReactionCounts.safeParse(one.body).success).toBe(true);
    expect((await call("PUT", path, { token: students[1]!.token, body: { reaction_type: "heart" } })).body).toEqual({ like_count: 1, heart_count: 1 });
    expect((await call("PUT", path, { token: students[0]!.token, body: { reaction_type: "like" } })).body).toEqual({ like_count: 0, heart_count: 1 });
    const bad = await call("PUT", path, { token: students[0]!.token, body: { reaction_type: "wow" } });
    expect(bad.status).toBe(400);
    const unknown = await call("PUT", "/chat/messages/nope/reactions", { token: students[0]!.token, body: { reaction_type: "like" } });
    expect(unknown.status).toBe(404);
  });
});
