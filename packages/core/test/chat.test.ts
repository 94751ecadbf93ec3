import { afterEach, describe, expect, it, vi } from "vitest";
import * as Chat from "../src/chat/index.ts";
import * as Class from "../src/class/index.ts";
import { newId } from "../src/ids.ts";
import { db } from "../src/table.ts";
import { code, makeClass, makeUser } from "./factory.ts";

/** Follows the poll cursor until nothing new arrives; returns every message id seen, in order. */
async function drain(classId: string, actor: Parameters<typeof Chat.list>[1], cursor?: string) {
  const seen: string[] = [];
  let position = cursor;
  for (;;) {
    const page = await Chat.list({ class_id: classId, cursor: position, limit: 7 }, actor);
    seen.push(...page.messages.map((m) => m.message_id));
    position = page.newer;
    if (!page.has_more) return { seen, cursor: position };
  }
}

afterEach(() => vi.restoreAllMocks());

describe("sending and listing", () => {
  it("lists a class's messages oldest first with their author and reactions", async () => {
    const { class_id, teacher, students } = await makeClass();
    const first = await Chat.send({ class_id, content: "  Welcome!  " }, teacher);
    await Chat.send({ class_id, content: "Hello" }, students[0]!);

    const page = await Chat.list({ class_id }, students[1]!);
    expect(page.messages.map((m) => m.content)).toEqual(["Welcome!", "Hello"]);
    expect(page.messages[0]).toEqual({
      message_id: first.message_id,
      class_id,
      author_id: teacher.userId,
      author_name: teacher.name,
      content: "Welcome!",
      created_at: first.created_at,
      reactions: { like_count: 0, heart_count: 0, mine: [] },
      edited_at: null,
      removed: null,
    });
    expect(page.has_more).toBe(false);
    expect(page.older).toBeNull();
  });

  it("pages forward and backward without losing or repeating a message", async () => {
    const { class_id, teacher } = await makeClass();
    const sent: string[] = [];
    for (let i = 0; i < 23; i++) sent.push((await Chat.send({ class_id, content: `m${i}` }, teacher)).message_id);

    const forward = await drain(class_id, teacher);
    expect(forward.seen).toEqual(sent);

    const backward: string[] = [];
    let page = await Chat.list({ class_id, direction: "backward", limit: 10 }, teacher);
    backward.unshift(...page.messages.map((m) => m.message_id));
    while (page.older) {
      page = await Chat.list({ class_id, direction: "backward", limit: 10, cursor: page.older }, teacher);
      backward.unshift(...page.messages.map((m) => m.message_id));
    }
    expect(backward).toEqual(sent);
  });

  it("hides expired messages even before TTL deletion removes them", async () => {
    const { class_id, teacher } = await makeClass();
    await Chat.send({ class_id, content: "still here" }, teacher);
    await db()
      .entities.message.create({
        class_id,
        created_at: new Date(Date.now() + 60_000).toISOString(),
        message_id: newId(),
        author_id: teacher.userId,
        author_name: teacher.name,
        content: "expired",
        expires_at: Math.floor(Date.now() / 1000) - 1,
      })
      .go();
    const page = await Chat.list({ class_id }, teacher);
    expect(page.messages.map((m) => m.content)).toEqual(["still here"]);
  });

  it("gives a message 90 days to live", async () => {
    const { class_id, teacher } = await makeClass();
    const sent = await Chat.send({ class_id, content: "ttl" }, teacher);
    const { data } = await db().entities.message.get({ class_id, created_at: sent.created_at }).go();
    expect(data!.expires_at - Date.parse(sent.created_at) / 1000).toBeCloseTo(90 * 86400, -1);
  });
});

describe("idempotent send", () => {
  it("returns the first result for a retry with the same message id and stores one message", async () => {
    const { class_id, teacher } = await makeClass();
    const message_id = newId();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => Chat.send({ class_id, content: "once", message_id }, teacher)),
    );
    expect(new Set(results.map((r) => r.created_at)).size).toBe(1);
    const page = await Chat.list({ class_id }, teacher);
    expect(page.messages.map((m) => m.message_id)).toEqual([message_id]);
    expect((await Class.get({ class_id }, teacher)).message_count).toBe(1);
  });

  it("refuses to reuse a message id in another class", async () => {
    const one = await makeClass();
    const other = await Class.create({ name: "Other" }, one.teacher);
    const message_id = newId();
    await Chat.send({ class_id: one.class_id, content: "same words", message_id }, one.teacher);
    expect(await code(Chat.send({ class_id: other.class_id, content: "same words", message_id }, one.teacher))).toBe("chat.message_id_taken");
    expect((await Chat.list({ class_id: other.class_id }, one.teacher)).messages).toEqual([]);
  });

  it("refuses to reuse a message id for different content", async () => {
    const { class_id, teacher } = await makeClass();
    const message_id = newId();
    await Chat.send({ class_id, content: "first", message_id }, teacher);
    expect(await code(Chat.send({ class_id, content: "second", message_id }, teacher))).toBe("chat.message_id_taken");
  });
});

describe("polling sees every message exactly once", () => {
  it("while several writers send concurrently and a reader polls", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 4 });
    const writers = [teacher, ...students];
    const collected: string[] = [];
    let cursor: string | undefined;
    let writing = true;

    const reader = (async () => {
      while (writing) {
        const result = await drain(class_id, teacher, cursor);
        collected.push(...result.seen);
        cursor = result.cursor;
      }
      collected.push(...(await drain(class_id, teacher, cursor)).seen);
    })();
    const sent = (
      await Promise.all(
        writers.map(async (writer, w) => {
          const ids: string[] = [];
          for (let i = 0; i < 15; i++) ids.push((await Chat.send({ class_id, content: `w${w}-${i}` }, writer)).message_id);
          return ids;
        }),
      )
    ).flat();
    writing = false;
    await reader;

    expect(collected.length).toBe(sent.length);
    expect(new Set(collected)).toEqual(new Set(sent));
    // One stable order: what the poller saw is exactly the stored order.
    expect(collected).toEqual((await drain(class_id, teacher)).seen);
  });

  it("when every writer's clock says the same millisecond", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 3 });
    const frozen = Date.parse("2030-01-01T00:00:00.000Z");
    vi.spyOn(Date, "now").mockReturnValue(frozen);
    const sent = await Promise.all(
      [teacher, ...students].flatMap((writer, w) => [0, 1, 2].map((i) => Chat.send({ class_id, content: `${w}/${i}` }, writer))),
    );
    const stamps = sent.map((s) => s.created_at);
    expect(new Set(stamps).size).toBe(sent.length);
    const { seen } = await drain(class_id, teacher);
    expect(new Set(seen)).toEqual(new Set(sent.map((s) => s.message_id)));
    expect(seen.length).toBe(sent.length);
  });

  it("when a writer stalls between taking its position and committing", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 2 });
    const before = await Chat.send({ class_id, content: "before" }, teacher);
    let cursor = (await drain(class_id, teacher)).cursor;
    const collected: string[] = [];

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stalledAt: string | undefined;
    let stalls = 0;
    const stalled = Chat.send({ class_id, content: "slow writer" }, students[0]!, {
      beforeCommit: async (position) => {
        if (stalls++ === 0) {
          stalledAt = position;
          await released;
        }
      },
    });
    await vi.waitFor(() => expect(stalledAt).toBeDefined());

    // Others write at later positions while the slow writer holds an earlier one; the reader polls past them.
    const quick = [];
    for (let i = 0; i < 3; i++) quick.push(await Chat.send({ class_id, content: `quick ${i}` }, students[1]!));
    expect(quick[0]!.created_at > stalledAt!).toBe(true);
    const polled = await drain(class_id, teacher, cursor);
    collected.push(...polled.seen);
    cursor = polled.cursor;

    release();
    const slow = await stalled;
    expect(stalls).toBeGreaterThan(1); // it lost its position and retried
    collected.push(...(await drain(class_id, teacher, cursor)).seen);

    expect(collected).toEqual([...quick.map((q) => q.message_id), slow.message_id]);
    expect(collected).not.toContain(before.message_id);
  });

  it("through the seed's lastMessageTimestamp as well as the cursor", async () => {
    const { class_id, teacher } = await makeClass();
    vi.spyOn(Date, "now").mockReturnValue(Date.parse("2031-05-05T10:00:00.000Z"));
    const a = await Chat.send({ class_id, content: "a" }, teacher);
    const b = await Chat.send({ class_id, content: "b" }, teacher);
    const c = await Chat.send({ class_id, content: "c" }, teacher);
    const after = await Chat.list({ class_id, after_timestamp: a.created_at }, teacher);
    expect(after.messages.map((m) => m.message_id)).toEqual([b.message_id, c.message_id]);
    const none = await Chat.list({ class_id, after_timestamp: c.created_at }, teacher);
    expect(none.messages).toEqual([]);
  });
});

describe("the polling hint (poll_after_ms)", () => {
  it("steps back from 3 s to 15 s as the class stays quiet, and any change makes it fast again", async () => {
    const { class_id, teacher, students } = await makeClass();
    const reader = students[0]!;
    const start = await Chat.list({ class_id, direction: "backward" }, reader);
    expect(start.poll_after_ms).toBe(15_000); // nothing happened in the class yet
    expect((await Chat.poll({ class_id, cursor: start.newer }, reader)).poll_after_ms).toBe(15_000);

    const sent = await Chat.send({ class_id, content: "Quiz at ten" }, teacher);
    const polled = await Chat.poll({ class_id, cursor: start.newer }, reader);
    expect(polled.messages.map((m) => m.message_id)).toEqual([sent.message_id]);
    expect(polled.poll_after_ms).toBe(3_000);
    const sentAt = Date.parse(sent.created_at);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const hintAfter = async (minutes: number) => {
        vi.setSystemTime(sentAt + minutes * 60_000);
        return (await Chat.poll({ class_id, cursor: polled.newer }, reader)).poll_after_ms;
      };
      expect([await hintAfter(0.5), await hintAfter(2), await hintAfter(5), await hintAfter(11)]).toEqual([3_000, 6_000, 10_000, 15_000]);
      // The REST path's poll (a forward list from a position) carries the same hint.
      expect((await Chat.list({ class_id, cursor: polled.newer }, reader)).poll_after_ms).toBe(15_000);
      // A reaction, post or comment moves the class's activity: fast again, with no new message.
      await Class.touch(class_id);
      expect(await hintAfter(11.1)).toBe(3_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("is null on a page that does not reach the newest message", async () => {
    const { class_id, teacher } = await makeClass();
    for (let i = 0; i < 3; i++) await Chat.send({ class_id, content: `line ${i}` }, teacher);
    const first = await Chat.list({ class_id, limit: 2 }, teacher);
    expect(first.has_more).toBe(true);
    expect(first.poll_after_ms).toBeNull();
    const rest = await Chat.list({ class_id, cursor: first.newer, limit: 2 }, teacher);
    expect(rest.poll_after_ms).toBe(3_000);
    const older = await Chat.list({ class_id, cursor: rest.newer, direction: "backward", limit: 1 }, teacher);
    expect(older.poll_after_ms).toBeNull();
  });
});

describe("cursors", () => {
  it("rejects a tampered cursor", async () => {
    const { class_id, teacher } = await makeClass();
    await Chat.send({ class_id, content: "x" }, teacher);
    const { newer } = await Chat.list({ class_id }, teacher);
    const [body, mac] = newer.split(".");
    const forged = Buffer.from(JSON.stringify({ s: `chat:${class_id}`, p: "" })).toString("base64url");
    expect(await code(Chat.list({ class_id, cursor: `${forged}.${mac}` }, teacher))).toBe("cursor.invalid");
    expect(await code(Chat.list({ class_id, cursor: `${body}.${mac}x` }, teacher))).toBe("cursor.invalid");
    expect(await code(Chat.list({ class_id, cursor: "garbage" }, teacher))).toBe("cursor.invalid");
  });

  it("rejects a cursor minted for another class, even to a member of both", async () => {
    const one = await makeClass();
    const other = await Class.create({ name: "Other" }, one.teacher);
    await Chat.send({ class_id: other.class_id, content: "secret" }, one.teacher);
    const { newer } = await Chat.list({ class_id: other.class_id, limit: 1 }, one.teacher);
    expect(await code(Chat.list({ class_id: one.class_id, cursor: newer }, one.teacher))).toBe("cursor.invalid");
  });
});

describe("access and bad input", () => {
  it("hides a class from a non-member as if it did not exist", async () => {
    const { class_id } = await makeClass();
    const outsider = await makeUser();
    expect(await code(Chat.list({ class_id }, outsider))).toBe("class.not_found");
    expect(await code(Chat.send({ class_id, content: "hi" }, outsider))).toBe("class.not_found");
    expect(await code(Chat.list({ class_id: newId() }, outsider))).toBe("class.not_found");
  });

  it("rejects empty, blank and oversized content and stores nothing", async () => {
    const { class_id, teacher } = await makeClass();
    for (const content of ["", "   \n\t ", "x".repeat(Chat.MAX_MESSAGE_LENGTH + 1)]) {
      expect(await code(Chat.send({ class_id, content }, teacher))).toBe("input.invalid");
    }
    expect(await code(Chat.send({ class_id: "bad id!", content: "x" }, teacher))).toBe("input.invalid");
    expect((await Chat.list({ class_id }, teacher)).messages).toEqual([]);
    expect((await Class.get({ class_id }, teacher)).message_count).toBe(0);
  });
});

describe("poll", () => {
  it("returns new messages and an activity counter that moves on reactions, posts and comments", async () => {
    const { class_id, teacher, students } = await makeClass();
    const start = await Chat.list({ class_id }, teacher);
    const idle = await Chat.poll({ class_id, cursor: start.newer }, teacher);
    expect(idle.messages).toEqual([]);
    const sent = await Chat.send({ class_id, content: "new" }, students[0]!);
    const next = await Chat.poll({ class_id, cursor: idle.newer }, teacher);
    expect(next.messages.map((m) => m.message_id)).toEqual([sent.message_id]);
    await Chat.react({ message_id: sent.message_id, reaction_type: "heart" }, teacher);
    const after = await Chat.poll({ class_id, cursor: next.newer }, students[1]!);
    expect(after.messages).toEqual([]);
    expect(after.activity).toBeGreaterThan(next.activity);
  });
});
