/** The typed client (packages/client) used as another TypeScript service would: over tRPC with httpBatchLink. */
import { errorCode, watchChat } from "@classroom/client";
import { describe, expect, it } from "vitest";
import { client, newUser } from "./support.ts";

describe("typed client over tRPC", () => {
  it("runs the chat, reaction, post and comment flow with end-to-end types", async () => {
    const teacher = await newUser("Mr Typed");
    const student = await newUser("Stu Dent");
    const t = client(teacher);
    const s = client(student);
    expect(await s.me.query()).toEqual({ user_id: student.sub, name: "Stu Dent", email: student.email });
    const klass = await t.class.create.mutate({ name: "Typed Physics" });
    await t.member.add.mutate({ class_id: klass.class_id, email: student.email, role: "student" });

    const start = await s.chat.list.query({ class_id: klass.class_id, direction: "backward" });
    const [sent, mine] = await Promise.all([
      t.chat.send.mutate({ class_id: klass.class_id, content: "Hello typed world" }),
      s.class.mine.query(), // batched with the send
    ]);
    expect(mine.map((c) => c.class_id)).toEqual([klass.class_id]);
    const polled = await s.chat.poll.query({ class_id: klass.class_id, cursor: start.newer });
    expect(polled.messages.map((m) => m.message_id)).toEqual([sent.message_id]);
    expect(await s.chat.react.mutate({ message_id: sent.message_id, reaction_type: "heart" })).toEqual({ like_count: 0, heart_count: 1, mine: ["heart"] });

    const post = await t.post.create.mutate({ class_id: klass.class_id, content: "Lab at 10" });
    const comment = await s.comment.create.mutate({ post_id: post.post_id, content: "OK" });
    expect((await t.comment.remove.mutate({ comment_id: comment.comment_id })).comment_count).toBe(0);
  });

  it("watches a class's chat: every message once and in order, with the server's hint in each poll", async () => {
    const teacher = await newUser("Ms Watch");
    const student = await newUser("Stu Watcher");
    const t = client(teacher);
    const s = client(student);
    const klass = await t.class.create.mutate({ name: "Watched Biology" });
    await t.member.add.mutate({ class_id: klass.class_id, email: student.email, role: "student" });
    const start = await s.chat.list.query({ class_id: klass.class_id, direction: "backward" });
    // A class without messages is quiet: come back in 15 s.
    expect((await s.chat.poll.query({ class_id: klass.class_id, cursor: start.newer })).poll_after_ms).toBe(15_000);

    const seen: string[] = [];
    const hints: number[] = [];
    const watch = watchChat(s, {
      class_id: klass.class_id,
      cursor: start.newer,
      onMessages: (messages, poll) => {
        seen.push(...messages.map((m) => m.message_id));
        hints.push(poll.poll_after_ms);
      },
    });
    const sent: string[] = [];
    for (let round = 0; round < 3; round++) {
      const burst = await Promise.all(Array.from({ length: 4 }, (_, i) => t.chat.send.mutate({ class_id: klass.class_id, content: `round ${round} line ${i}` })));
      sent.push(...burst.sort((a, b) => a.created_at.localeCompare(b.created_at)).map((m) => m.message_id));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const deadline = Date.now() + 10_000;
    while (seen.length < sent.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 3500)); // one more poll: nothing comes twice
    await watch.stop();
    expect(seen).toEqual(sent);
    // The class just had messages: the server says 3 s.
    expect(hints.length).toBeGreaterThan(0);
    expect(hints.every((hint) => hint === 3000)).toBe(true);
    expect((await s.chat.poll.query({ class_id: klass.class_id, cursor: watch.cursor! })).poll_after_ms).toBe(3000);
  });

  it("reports failures with the stable code and a readable message", async () => {
    const outsider = await newUser();
    const error = await client(outsider).chat.list.query({ class_id: "01JZZZZZZZZZZZZZZZZZZZZZZZ" }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe("class.not_found");
    expect((error as Error).message).toBe("No class with this id was found.");
    const bad = await client(outsider).chat.send.mutate({ class_id: "x", content: "  " }).catch((e: unknown) => e);
    expect(errorCode(bad)).toBe("input.invalid");
  });
});
