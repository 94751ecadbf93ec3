/**
 * Recommendations over real HTTP: the "opened" signal, interactions from the stream (a comment,
 * a turn-in), the training job's Lambda handler run in-process, then "similar" and "for you"
 * through REST and tRPC, only ever with items the caller can see.
 */
import { handler as train } from "@classroom/api/lambda/train";
import * as Recommendation from "@classroom/core/recommendation";
import { describe, expect, it, vi } from "vitest";
import { call, client, makeClass, newUser, type TestUser } from "./support.ts";

const wait = { timeout: 15_000, interval: 250 };
const opened = (who: TestUser, item_type: string, item_id: string) => call("POST", "/interactions", { token: who.token, body: { item_type, item_id } });
const ids = (body: { items: Array<{ item_id: string }> }) => body.items.map((i) => i.item_id);

describe("recommendations", () => {
  it("learns from what students open, comment on and turn in, and recommends within the class", { timeout: 120_000 }, async () => {
    const klass = await makeClass(5);
    const [s1, s2, s3, s4, newcomer] = klass.students as [TestUser, TestUser, TestUser, TestUser, TestUser];
    const teacher = klass.teacher.token;
    const post = async (content: string) => (await call("POST", `/classes/${klass.class_id}/posts`, { token: teacher, body: { content } })).body.post_id as string;
    const [cells, mitosis, plants] = [await post("Cells"), await post("Mitosis"), await post("Plants")];
    const lab = (await call("POST", `/classes/${klass.class_id}/assignments`, { token: teacher, body: { title: "Cell lab" } })).body.assignment_id as string;
    const draft = (await call("POST", `/classes/${klass.class_id}/assignments`, { token: teacher, body: { title: "Soon", state: "draft" } })).body
      .assignment_id as string;

    const first = await opened(s1, "post", cells);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ recorded: true });
    expect((await opened(s1, "post", cells)).body).toEqual({ recorded: false }); // once a day
    for (const s of [s2, s3]) await opened(s, "post", cells);
    for (const s of [s1, s2]) await opened(s, "post", mitosis);
    await opened(s3, "post", plants);
    await opened(s4, "post", cells);
    // From the stream: a comment and a turn-in are interactions too.
    expect((await call("POST", `/posts/${mitosis}/comments`, { token: s3.token, body: { content: "Prophase first" } })).status).toBe(201);
    for (const s of [s1, s2, s3]) expect((await call("POST", `/assignments/${lab}/turn-in`, { token: s.token, body: {} })).status).toBe(200);
    await vi.waitFor(async () => {
      const kinds = (await Recommendation.interactionsOf(klass.class_id, s3.sub)).map((x) => x.kind).sort();
      expect(kinds).toEqual(["commented", "opened", "opened", "turned_in"]);
      for (const s of [s1, s2]) expect((await Recommendation.interactionsOf(klass.class_id, s.sub)).map((x) => x.kind)).toContain("turned_in");
    }, wait);

    // Students cannot report drafts, outsiders nothing of the class; bad input is 400.
    expect((await opened(s1, "assignment", draft)).status).toBe(404);
    const outsider = await newUser();
    const refused = await opened(outsider, "post", cells);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("post.not_found");
    expect((await opened(s1, "message", cells)).status).toBe(400);

    const summary = await train();
    expect(summary.failed).toBe(0);
    expect(summary.trained).toBeGreaterThanOrEqual(1);

    const similar = await call("GET", `/items/post/${cells}/similar?limit=3`, { token: s4.token });
    expect(similar.status).toBe(200);
    expect(similar.body.trained_at).toEqual(expect.any(String));
    expect(ids(similar.body).slice(0, 2).sort()).toEqual([mitosis, lab].sort());
    expect(similar.body.items[0]).toMatchObject({ reason: "similar", title: expect.any(String) });
    expect(ids(similar.body)).not.toContain(draft);

    const forS4 = await call("GET", `/classes/${klass.class_id}/recommendations?limit=2`, { token: s4.token });
    expect(forS4.status).toBe(200);
    expect(ids(forS4.body).sort()).toEqual([mitosis, lab].sort());
    const forNewcomer = await call("GET", `/classes/${klass.class_id}/recommendations`, { token: newcomer.token });
    expect(forNewcomer.body.items.map((i: { reason: string }) => i.reason)).toEqual(["popular", "popular", "popular", "popular"]);
    expect(ids(forNewcomer.body)[0]).toBe(cells);
    expect(ids(forNewcomer.body)).not.toContain(draft);

    // tRPC answers the same.
    expect(await client(s4).recommendation.similar.query({ item_type: "post", item_id: cells, limit: 3 })).toEqual(similar.body);
    expect(await client(s4).recommendation.forClass.query({ class_id: klass.class_id, limit: 2 })).toEqual(forS4.body);
    expect(await client(s4).recommendation.record.mutate({ item_type: "post", item_id: plants })).toEqual({ recorded: true });

    // Another class's people: 404, as for an item that does not exist.
    const other = await makeClass(1);
    for (const who of [other.students[0]!, other.teacher, outsider]) {
      expect((await call("GET", `/items/post/${cells}/similar`, { token: who.token })).body.error.code).toBe("post.not_found");
      expect((await call("GET", `/classes/${klass.class_id}/recommendations`, { token: who.token })).status).toBe(404);
    }
    expect((await call("GET", `/items/post/${cells}/similar?limit=21`, { token: s1.token })).status).toBe(400);
    expect((await call("GET", `/items/lesson/${cells}/similar`, { token: s1.token })).status).toBe(400);
  });

  it("limits how many opened items a person reports in a minute (429 with Retry-After)", { timeout: 60_000 }, async () => {
    const klass = await makeClass(1);
    const student = klass.students[0]!;
    const post = (await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Read" } })).body.post_id;
    let reply = await opened(student, "post", post);
    for (let i = 0; i < 60 && reply.status === 200; i++) reply = await opened(student, "post", post);
    expect(reply.status).toBe(429);
    expect(reply.body.error.code).toBe("rate.limited");
    expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
