/**
 * watchChat against an in-process stand-in for the API's chat (list and poll with a cursor,
 * `has_more` and `poll_after_ms`), on fake timers: what is delivered, and when it polls.
 */
import { TRPCError, initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, watchChat } from "../src/index.ts";

const t = initTRPC.create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, appCode: (error.cause as { code?: string } | undefined)?.code ?? "internal" },
  }),
});

/** One class: its messages in order, the hint the server gives, and the times polls came in. */
function standIn() {
  const world = { messages: [] as string[], hintMs: 3000, polls: [] as number[], member: true };
  const page = (after: number, limit: number) => {
    const messages = world.messages.slice(after, after + limit).map((content, i) => ({ message_id: `m${after + i}`, content }));
    const has_more = after + limit < world.messages.length;
    return { messages, newer: String(after + messages.length), has_more, older: null, activity: 0, unread_notifications: 0, poll_after_ms: world.hintMs };
  };
  const router = t.router({
    chat: t.router({
      list: t.procedure.input((raw) => raw as { class_id: string }).query(() => page(world.messages.length, 1)),
      poll: t.procedure.input((raw) => raw as { class_id: string; cursor: string; limit: number }).query(({ input }) => {
        world.polls.push(Date.now());
        if (!world.member) {
          throw new TRPCError({ code: "NOT_FOUND", message: "No class with this id was found.", cause: Object.assign(new Error(), { code: "class.not_found" }) });
        }
        return page(Number(input.cursor), input.limit);
      }),
    }),
  });
  const client = createClient({
    url: "http://api.test",
    getToken: () => "token",
    fetch: async (input, init) => fetchRequestHandler({ endpoint: "/trpc", req: new Request(input, init), router }),
  });
  return { world, client };
}

/** Gaps between consecutive polls, in seconds. */
const gaps = (times: number[]) => times.slice(1).map((at, i) => Math.round((at - times[i]!) / 1000));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("watchChat", () => {
  it("delivers every message once and in order, across full pages and a failing handler", async () => {
    const { world, client } = standIn();
    world.messages.push("before the watch");
    const seen: string[] = [];
    let failOnce = true;
    const errors: unknown[] = [];
    const watch = watchChat(client, {
      class_id: "c",
      onMessages: (messages) => {
        if (failOnce && messages.length > 0) {
          failOnce = false;
          throw new Error("handler busy");
        }
        seen.push(...messages.map((m) => m.content));
      },
      onError: (error) => errors.push(error),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(watch.cursor).toBe("1"); // starts at the newest message: earlier ones are not news
    for (let i = 0; i < 250; i++) world.messages.push(`n${i}`);
    await vi.advanceTimersByTimeAsync(3000); // the handler fails: nothing is skipped...
    await vi.advanceTimersByTimeAsync(3000); // ...the next poll brings the same messages, then the next pages at once
    await vi.advanceTimersByTimeAsync(6000);
    await watch.stop();
    expect(errors).toHaveLength(1);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => `n${i}`));
    expect(watch.cursor).toBe("251");
  });

  it("polls every 3 s while the class is active and follows the hint down to 15 s while it is quiet", async () => {
    const { world, client } = standIn();
    const watch = watchChat(client, { class_id: "c", onMessages: () => undefined });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(new Set(gaps(world.polls))).toEqual(new Set([3]));

    world.hintMs = 15_000; // the class went quiet
    world.polls.length = 0;
    await vi.advanceTimersByTimeAsync(120_000);
    // Starting the watch counts as acting: 3 s for its first minute, then the server's pace.
    expect(gaps(world.polls).filter((gap) => gap !== 3).every((gap) => gap === 15)).toBe(true);
    expect(gaps(world.polls).slice(-3)).toEqual([15, 15, 15]);
    await watch.stop();
  });

  it("goes back to 3 s at once when nudged or when news arrives, and never polls faster than the hint otherwise", async () => {
    const { world, client } = standIn();
    world.hintMs = 15_000;
    const watch = watchChat(client, { class_id: "c", onMessages: () => undefined });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(gaps(world.polls).slice(-5)).toEqual([15, 15, 15, 15, 15]);
    const count = world.polls.length;
    while (world.polls.length === count) await vi.advanceTimersByTimeAsync(100);
    const lastQuiet = world.polls.at(-1)!;

    // Acting 5 s after a poll: the next one comes at once (3 s after that poll have passed), not 10 s later.
    await vi.advanceTimersByTimeAsync(5000);
    expect(world.polls.at(-1)).toBe(lastQuiet);
    watch.nudge();
    await vi.advanceTimersByTimeAsync(10);
    expect(world.polls.at(-1)! - lastQuiet).toBeGreaterThanOrEqual(5000);
    expect(world.polls.at(-1)! - lastQuiet).toBeLessThanOrEqual(5200);
    world.polls.length = 0;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(new Set(gaps(world.polls))).toEqual(new Set([3]));

    // Idle again: back to the hint. A message arrives: the next poll is 3 s later.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    world.polls.length = 0;
    await vi.advanceTimersByTimeAsync(15_000);
    world.messages.push("news");
    await vi.advanceTimersByTimeAsync(15_000 + 3000);
    expect(gaps(world.polls)).toEqual([15, 3]);
    await watch.stop();
  });

  it("stops by itself once the class is gone", async () => {
    const { world, client } = standIn();
    const errors: unknown[] = [];
    const watch = watchChat(client, { class_id: "c", onMessages: () => undefined, onError: (error) => errors.push(error) });
    await vi.advanceTimersByTimeAsync(6000);
    world.member = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(errors).toHaveLength(1);
    const polls = world.polls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(world.polls).toHaveLength(polls);
    await watch.stop();
  });
});
