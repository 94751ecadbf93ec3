/**
 * Notifications end to end on the local stack: writes → the table's stream → the stream
 * handler → PutEvents on the local bus → the app's rules → the notifier → the recipients'
 * notifications, read over REST. Every step runs the code Lambda runs; only the transport
 * is local.
 */
import { handler as notifier } from "@classroom/api/lambda/notifier";
import { handler as streamHandler } from "@classroom/api/lambda/stream";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { marshall } from "@aws-sdk/util-dynamodb";
import * as Notification from "@classroom/core/notification";
import type { DynamoDBRecord } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { startLocalBus } from "../src/event-bus.ts";
import { call, client, makeClass, type TestUser } from "./support.ts";

const wait = { timeout: 20_000, interval: 200 };

async function notifications(user: TestUser, query = "") {
  const reply = await call("GET", `/notifications${query}`, { token: user.token });
  expect(reply.status).toBe(200);
  return reply.body as { notifications: Array<{ notification_id: string; kind: string; class_id: string; title: string; target: { type: string; id: string }; read: boolean }>; unread: number };
}

const kindsFor = async (user: TestUser, class_id: string) => (await notifications(user)).notifications.filter((n) => n.class_id === class_id).map((n) => n.kind);

describe("notifications", () => {
  it("tell the right people about members, announcements, comments, mentions, assignments and returned grades, once each", { timeout: 90_000 }, async () => {
    const { class_id, teacher, students } = await makeClass(2);
    const [alex, sam] = students as [TestUser, TestUser];
    await vi.waitFor(async () => expect(await kindsFor(alex, class_id)).toContain("member.added"), wait);

    const announcement = await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "Quiz on Friday", kind: "announcement" } });
    await vi.waitFor(async () => expect(await kindsFor(sam, class_id)).toContain("announcement.posted"), wait);
    await call("POST", `/posts/${announcement.body.post_id}/comments`, { token: alex.token, body: { content: "Which chapters?" } });
    await call("POST", `/posts/${announcement.body.post_id}/comments`, { token: sam.token, body: { content: "Same question" } });
    await call("POST", "/chat/messages", { token: sam.token, body: { class_id, content: `@${alex.name} see the stream` } });

    const assignment = await call("POST", `/classes/${class_id}/assignments`, { token: teacher.token, body: { title: "Essay", max_points: 20, state: "published" } });
    expect(assignment.status).toBe(201);
    const { assignment_id } = assignment.body;
    expect((await call("POST", `/assignments/${assignment_id}/turn-in`, { token: alex.token, body: { text: "My essay" } })).status).toBe(200);
    const submission_id = `${assignment_id}_${alex.sub}`;
    expect((await call("PUT", `/submissions/${submission_id}/grade`, { token: teacher.token, body: { draft_grade: 17 } })).status).toBe(200);
    expect((await call("POST", `/submissions/${submission_id}/return`, { token: teacher.token })).status).toBe(200);

    await vi.waitFor(async () => {
      expect((await kindsFor(alex, class_id)).sort()).toEqual(
        ["announcement.posted", "assignment.published", "chat.mentioned", "comment.created", "grade.returned", "member.added"].sort(),
      );
      expect((await kindsFor(teacher, class_id)).sort()).toEqual(["comment.created", "comment.created"]);
      expect((await kindsFor(sam, class_id)).sort()).toEqual(["announcement.posted", "assignment.published", "member.added"].sort());
    }, wait);
    const grade = (await notifications(alex)).notifications.find((n) => n.kind === "grade.returned")!;
    expect(grade).toMatchObject({ title: "Grade returned: Essay", target: { type: "assignment", id: assignment_id } });
  });

  it("count unread in the class poll and the shell summary, and mark them read once", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const alex = students[0]!;
    await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "One", kind: "announcement" } });
    await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "Two", kind: "announcement" } });
    await vi.waitFor(async () => expect((await notifications(alex)).unread).toBe(3), wait); // added + two announcements

    const summary = await call("GET", "/notifications/summary", { token: alex.token });
    expect(summary.body.unread_notifications).toBe(3);
    const page = await client(alex).chat.list.query({ class_id, direction: "backward" });
    expect((await client(alex).chat.poll.query({ class_id, cursor: page.newer })).unread_notifications).toBe(3);
    const first = (await notifications(alex)).notifications[0]!;
    const marked = await call("POST", "/notifications/read", { token: alex.token, body: { ids: [first.notification_id, first.notification_id] } });
    expect(marked.body).toEqual({ marked: 1, unread: 2 });
    expect((await call("POST", "/notifications/read", { token: alex.token, body: { ids: [first.notification_id] } })).body).toEqual({ marked: 0, unread: 2 });
    expect((await notifications(alex, "?unread=true")).notifications).toHaveLength(2);
    expect((await call("POST", "/notifications/read", { token: alex.token, body: { all: true } })).body).toEqual({ marked: 2, unread: 0 });
    // Nobody marks another person's notifications: the id is looked up in the caller's own inbox.
    expect((await call("POST", "/notifications/read", { token: teacher.token, body: { ids: [first.notification_id] } })).body.marked).toBe(0);
  });

  it("counts unread chat per class from the read marker", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const alex = students[0]!;
    const sent = [];
    for (const content of ["a", "b", "c"]) sent.push((await call("POST", "/chat/messages", { token: teacher.token, body: { class_id, content } })).body);
    const unreadChat = async () => (await call("GET", "/notifications/summary", { token: alex.token })).body.classes.find((c: { class_id: string }) => c.class_id === class_id).unread_chat;
    expect(await unreadChat()).toBe(3);
    expect((await call("PUT", `/classes/${class_id}/read`, { token: alex.token, body: { position: sent[1].created_at } })).body).toEqual({ unread: 1 });
    expect(await unreadChat()).toBe(1);
    // The marker never moves back.
    await call("PUT", `/classes/${class_id}/read`, { token: alex.token, body: { position: sent[0].created_at } });
    expect(await unreadChat()).toBe(1);
  });

  it("respect preferences: a kind turned off, a class muted", async () => {
    const { class_id, teacher, students } = await makeClass(2);
    const [alex, sam] = students as [TestUser, TestUser];
    await call("PUT", "/notifications/preferences", { token: sam.token, body: { disabled_kinds: ["announcement.posted"], muted_classes: [] } });
    await call("PUT", "/notifications/preferences", { token: alex.token, body: { disabled_kinds: [], muted_classes: [class_id] } });
    expect((await call("GET", "/notifications/preferences", { token: alex.token })).body).toEqual({ disabled_kinds: [], muted_classes: [class_id] });
    await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "Hear ye", kind: "announcement" } });
    const post = await call("POST", `/classes/${class_id}/posts`, { token: sam.token, body: { content: "Question" } });
    await call("POST", `/posts/${post.body.post_id}/comments`, { token: teacher.token, body: { content: "Answer" } });
    await vi.waitFor(async () => expect(await kindsFor(sam, class_id)).toContain("comment.created"), wait);
    expect(await kindsFor(sam, class_id)).not.toContain("announcement.posted");
    expect((await kindsFor(alex, class_id)).filter((k) => k !== "member.added")).toEqual([]);
  });

  it("deliver a redelivered stream record once", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const alex = students[0]!;
    const post = await call("POST", `/classes/${class_id}/posts`, { token: alex.token, body: { content: "Mine" } });
    const record: DynamoDBRecord = {
      eventID: `redelivered-${randomUUID()}`,
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      dynamodb: {
        ApproximateCreationDateTime: Date.now() / 1000,
        SequenceNumber: "1",
        NewImage: marshall({
          __edb_e__: "comment",
          __edb_v__: "1",
          comment_id: randomUUID(),
          post_id: post.body.post_id,
          class_id,
          author_id: teacher.sub,
          author_name: teacher.name,
          content: "Nice",
          status: 1,
          created_at: new Date().toISOString(),
        }) as never,
      },
    };
    for (let i = 0; i < 3; i++) expect((await streamHandler({ Records: [record] })).batchItemFailures).toEqual([]);
    await vi.waitFor(async () => expect(await kindsFor(alex, class_id)).toContain("comment.created"), wait);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await kindsFor(alex, class_id)).filter((k) => k === "comment.created")).toHaveLength(1);
  });

  it("survive a notifier that fails after writing: retried, exactly one notification each and the counter right", async () => {
    const { class_id, teacher, students } = await makeClass(2);
    let calls = 0;
    const bus = await startLocalBus({
      retryDelaysMs: [50, 50],
      target: async (event) => {
        calls++;
        await notifier(event as never);
        if (calls === 1) throw new Error("notifier crashed after its writes");
      },
    });
    try {
      const client = new EventBridgeClient({ endpoint: bus.endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
      const detail = { event_id: `fault-${randomUUID()}:announcement.posted`, class_id, at: new Date().toISOString(), post_id: randomUUID(), author_id: teacher.sub, author_name: teacher.name, excerpt: "Once" };
      const put = await client.send(
        new PutEventsCommand({ Entries: [{ EventBusName: bus.busName, Source: Notification.EVENT_SOURCE, DetailType: "announcement.posted", Detail: JSON.stringify(detail) }] }),
      );
      expect(put.FailedEntryCount).toBe(0);
      await bus.drain();
      expect(calls).toBe(2);
      expect(bus.deadLetters).toEqual([]);
      for (const student of students) {
        const mine = await notifications(student);
        expect(mine.notifications.filter((n) => n.title.startsWith("Announcement") && n.class_id === class_id)).toHaveLength(1);
        expect(mine.unread).toBe(mine.notifications.filter((n) => !n.read).length);
      }
    } finally {
      await bus.stop();
    }
  });
});
