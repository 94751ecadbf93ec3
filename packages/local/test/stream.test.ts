/**
 * The stream consumer: the local poller feeds DynamoDB Local's stream to the same handler
 * Lambda runs. Audit events and daily counters follow the writes; redelivered records
 * change nothing; a failing record is reported as a batch item failure, the others handled.
 */
import { handler } from "@classroom/api/lambda/stream";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { call, makeClass } from "./support.ts";

/** A fresh class's counters added up over the days returned (a test may run across midnight UTC). */
async function statsOf(class_id: string, token: string) {
  const reply = await call("GET", `/classes/${class_id}/stats`, { token });
  expect(reply.status).toBe(200);
  const total = { messages_sent: 0, reactions: 0, comments_created: 0, comments_deleted: 0 };
  for (const day of reply.body.days as Array<typeof total>) {
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += day[key];
  }
  return total;
}

function messageInsert(class_id: string, author_id: string, sequence: string): DynamoDBRecord {
  const created_at = new Date().toISOString();
  return {
    eventID: `synthetic-${randomUUID()}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: {
      ApproximateCreationDateTime: Date.now() / 1000,
      SequenceNumber: sequence,
      NewImage: marshall({ __edb_e__: "message", __edb_v__: "1", class_id, created_at, message_id: randomUUID(), author_id, content: "replayed" }) as never,
    },
  };
}

describe("stream consumer", () => {
  it("keeps an audit trail and daily counters that teachers can read", async () => {
    const { class_id, teacher, students } = await makeClass(1);
    const sent = await call("POST", "/chat/messages", { token: students[0]!.token, body: { class_id, content: "counted" } });
    await call("PUT", `/chat/messages/${sent.body.message_id}/reactions`, { token: teacher.token, body: { reaction_type: "heart" } });
    const post = await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "p" } });
    const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: students[0]!.token, body: { content: "c" } });
    await call("DELETE", `/comments/${comment.body.comment_id}`, { token: teacher.token });
    await call("DELETE", `/comments/${comment.body.comment_id}`, { token: teacher.token }); // repeat: not a second deletion

    await vi.waitFor(async () => {
      expect(await statsOf(class_id, teacher.token)).toMatchObject({ messages_sent: 1, reactions: 1, comments_created: 1, comments_deleted: 1 });
    }, { timeout: 15_000, interval: 250 });

    const audit = await call("GET", `/classes/${class_id}/audit`, { token: teacher.token });
    const summaries = audit.body.events.map((e: { summary: string }) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining(["message sent", "reaction added", "post created", "comment created", "comment deleted", "member added", "class created"]));
    const deletion = audit.body.events.find((e: { summary: string }) => e.summary === "comment deleted");
    expect(deletion).toMatchObject({ actor_id: teacher.sub, before: { status: 1 }, after: { status: 0, deleted_by: teacher.sub } });
    expect(JSON.stringify(audit.body)).not.toContain("__edb_");

    const denied = await call("GET", `/classes/${class_id}/audit`, { token: students[0]!.token });
    expect(denied.status).toBe(403);
  });

  it("counts a redelivered record once", async () => {
    const { class_id, teacher } = await makeClass(0);
    await vi.waitFor(async () => expect((await call("GET", `/classes/${class_id}/audit`, { token: teacher.token })).body.events.length).toBeGreaterThan(0), {
      timeout: 15_000,
    });
    const record = messageInsert(class_id, teacher.sub, "100");
    const results = await Promise.all([handler({ Records: [record] }), handler({ Records: [record] }), handler({ Records: [record] })]);
    expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    await handler({ Records: [record] });
    expect((await statsOf(class_id, teacher.token)).messages_sent).toBe(1);
    const audit = await call("GET", `/classes/${class_id}/audit`, { token: teacher.token });
    expect(audit.body.events.filter((e: { event_id: string }) => e.event_id === record.eventID)).toHaveLength(1);
  });

  it("reports a failing record as a batch item failure and still handles the others", async () => {
    const { class_id, teacher } = await makeClass(0);
    const good = messageInsert(class_id, teacher.sub, "201");
    // A record whose time cannot be read: handling it throws.
    const broken = messageInsert(class_id, teacher.sub, "202");
    broken.dynamodb!.ApproximateCreationDateTime = Number.NaN;
    const after = messageInsert(class_id, teacher.sub, "203");
    const result = await handler({ Records: [good, broken, after] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "202" }]);
    expect((await statsOf(class_id, teacher.token)).messages_sent).toBe(2);
    // Lambda redelivers from the failed record on: the ones already handled count once.
    await handler({ Records: [after] });
    expect((await statsOf(class_id, teacher.token)).messages_sent).toBe(2);
  });
});
