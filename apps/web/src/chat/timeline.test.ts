import { describe, expect, it } from "vitest";
import {
  type ChatMessage,
  type TimelineAction,
  type TimelineState,
  displayedReactions,
  emptyTimeline,
  timelineItems,
  timelineReducer,
} from "./timeline.ts";

let seq = 0;
function msg(overrides: Partial<ChatMessage> = {}): ChatMessage {
  seq++;
  return {
    message_id: `m${seq}`,
    class_id: "c1",
    author_id: "u1",
    author_name: "Alex Kim",
    content: `message ${seq}`,
    created_at: new Date(Date.UTC(2030, 0, 1, 9, 0, seq)).toISOString(),
    reactions: { like_count: 0, heart_count: 0, mine: [] },
    edited_at: null,
    removed: null,
    ...overrides,
  };
}

const run = (actions: TimelineAction[], state: TimelineState = emptyTimeline) => actions.reduce(timelineReducer, state);
const ids = (state: TimelineState) => state.messages.map((m) => m.message_id);
const me = { userId: "me", name: "Ms. Rivera" };

describe("merging pages", () => {
  it("orders by created_at and never shows a message twice, however pages overlap or repeat", () => {
    const [a, b, c, d] = [msg(), msg(), msg(), msg()];
    const state = run([
      { type: "loaded", messages: [c!, d!], older: "cursor-before-c", at: 1 },
      { type: "received", messages: [d!], at: 2 }, // a repeated poll
      { type: "olderLoaded", messages: [a!, b!, c!], older: null, at: 3 }, // overlaps the first page
      { type: "received", messages: [b!], at: 4 },
    ]);
    expect(ids(state)).toEqual([a, b, c, d].map((m) => m!.message_id));
    expect(state.older).toBeNull();
  });

  it("places a late message by its server position, not by arrival", () => {
    const [a, b, c] = [msg(), msg(), msg()];
    const state = run([
      { type: "loaded", messages: [a!], older: null, at: 1 },
      { type: "received", messages: [c!], at: 2 },
      { type: "received", messages: [b!], at: 3 },
    ]);
    expect(ids(state)).toEqual([a!.message_id, b!.message_id, c!.message_id]);
  });

  it("returns the same state when a page brings nothing new", () => {
    const a = msg();
    const state = run([{ type: "loaded", messages: [a], older: null, at: 1 }]);
    expect(timelineReducer(state, { type: "received", messages: [a], at: 2 })).toBe(state);
    expect(timelineReducer(state, { type: "received", messages: [], at: 3 })).toBe(state);
  });

  it("keeps the paging cursor of the older pages when polls arrive", () => {
    const state = run([
      { type: "loaded", messages: [msg()], older: "older-1", at: 1 },
      { type: "received", messages: [msg()], at: 2 },
    ]);
    expect(state.older).toBe("older-1");
  });
});

describe("optimistic sending", () => {
  it("shows a message at once as sending, then at its server position once confirmed", () => {
    const a = msg();
    const later = msg();
    let state = run([
      { type: "loaded", messages: [a], older: null, at: 1 },
      { type: "sendStarted", message_id: "mine-1", content: "  Hello class  " },
    ]);
    expect(timelineItems(state).map((i) => i.kind)).toEqual(["message", "outgoing"]);
    expect(state.outbox[0]?.status).toBe("sending");

    // Someone else's message, committed after mine, arrives first.
    state = timelineReducer(state, { type: "received", messages: [later], at: 2 });
    state = timelineReducer(state, {
      type: "sendSucceeded",
      message_id: "mine-1",
      created_at: new Date(Date.parse(later.created_at) - 500).toISOString(),
      class_id: "c1",
      author: me,
    });
    expect(state.outbox).toEqual([]);
    expect(ids(state)).toEqual([a.message_id, "mine-1", later.message_id]);
    expect(state.messages[1]).toMatchObject({ content: "Hello class", author_id: "me", author_name: "Ms. Rivera" });
  });

  it("shows my message once when the poll brings it before the send is answered", () => {
    const mine = msg({ message_id: "mine-2", author_id: "me" });
    const state = run([
      { type: "loaded", messages: [], older: null, at: 1 },
      { type: "sendStarted", message_id: "mine-2", content: mine.content },
      { type: "received", messages: [mine], at: 2 },
      { type: "sendSucceeded", message_id: "mine-2", created_at: mine.created_at, class_id: "c1", author: me },
    ]);
    expect(ids(state)).toEqual(["mine-2"]);
    expect(state.outbox).toEqual([]);
    expect(timelineItems(state)).toHaveLength(1);
  });

  it("marks a message failed with the reason, and a retry keeps its id", () => {
    let state = run([
      { type: "sendStarted", message_id: "mine-3", content: "Hi" },
      { type: "sendFailed", message_id: "mine-3", error: "We can't reach Classroom right now." },
    ]);
    expect(state.outbox).toEqual([{ message_id: "mine-3", content: "Hi", status: "failed", error: "We can't reach Classroom right now." }]);
    state = timelineReducer(state, { type: "sendStarted", message_id: "mine-3", content: "Hi" });
    expect(state.outbox).toEqual([{ message_id: "mine-3", content: "Hi", status: "sending" }]);
    state = timelineReducer(state, { type: "discarded", message_id: "mine-3" });
    expect(state.outbox).toEqual([]);
  });

  it("removes a failed message from the outbox when a poll shows it did arrive", () => {
    const mine = msg({ message_id: "mine-4", author_id: "me" });
    const state = run([
      { type: "sendStarted", message_id: "mine-4", content: mine.content },
      { type: "sendFailed", message_id: "mine-4", error: "timeout" },
      { type: "received", messages: [mine], at: 5 },
    ]);
    expect(state.outbox).toEqual([]);
    expect(ids(state)).toEqual(["mine-4"]);
  });
});

describe("optimistic reactions", () => {
  const liked = (like_count: number, mine: Array<"like" | "heart"> = []) => ({ like_count, heart_count: 0, mine });

  it("applies my pending toggles on top of the server's counts", () => {
    expect(displayedReactions(liked(2), ["like"])).toEqual({ like_count: 3, heart_count: 0, mine: ["like"] });
    expect(displayedReactions(liked(3, ["like"]), ["like"])).toEqual({ like_count: 2, heart_count: 0, mine: [] });
    expect(displayedReactions(liked(3, ["like"]), ["like", "like"])).toEqual(liked(3, ["like"]));
    expect(displayedReactions(liked(0), ["heart"])).toEqual({ like_count: 0, heart_count: 1, mine: ["heart"] });
  });

  it("shows the toggle at once and takes the server's counts when it answers", () => {
    const a = msg({ reactions: liked(2) });
    let state = run([
      { type: "loaded", messages: [a], older: null, at: 1 },
      { type: "reactStarted", message_id: a.message_id, reaction: "like" },
    ]);
    const item = timelineItems(state)[0];
    expect(item?.kind === "message" && item.reactions).toEqual(liked(3, ["like"]));
    // Someone else liked it too in the meantime: the server's answer wins.
    state = timelineReducer(state, { type: "reactSettled", message_id: a.message_id, reaction: "like", result: liked(4, ["like"]), at: 3 });
    const settled = timelineItems(state)[0];
    expect(settled?.kind === "message" && settled.reactions).toEqual(liked(4, ["like"]));
    expect(state.pendingReactions).toEqual({});
  });

  it("rolls back a toggle the server refused", () => {
    const a = msg({ reactions: liked(1) });
    const state = run([
      { type: "loaded", messages: [a], older: null, at: 1 },
      { type: "reactStarted", message_id: a.message_id, reaction: "like" },
      { type: "reactFailed", message_id: a.message_id, reaction: "like" },
    ]);
    const item = timelineItems(state)[0];
    expect(item?.kind === "message" && item.reactions).toEqual(liked(1));
  });

  it("ignores refreshed counts that started before the toggle's answer or while it is pending", () => {
    const a = msg({ reactions: liked(0) });
    let state = run([
      { type: "loaded", messages: [a], older: null, at: 1 },
      { type: "reactStarted", message_id: a.message_id, reaction: "like" },
    ]);
    // A refresh that read the message before my like was stored.
    state = timelineReducer(state, { type: "received", messages: [{ ...a, reactions: liked(0) }], at: 2 });
    state = timelineReducer(state, { type: "reactSettled", message_id: a.message_id, reaction: "like", result: liked(1, ["like"]), at: 4 });
    // Another stale refresh (started at 3) answers after the toggle (settled at 4).
    state = timelineReducer(state, { type: "received", messages: [{ ...a, reactions: liked(0) }], at: 3 });
    expect(state.messages[0]?.reactions).toEqual(liked(1, ["like"]));
    // A refresh started later is the truth: someone else liked it too.
    state = timelineReducer(state, { type: "received", messages: [{ ...a, reactions: liked(2, ["like"]) }], at: 5 });
    expect(state.messages[0]?.reactions).toEqual(liked(2, ["like"]));
  });

  it("lets a poll or refresh update the counts of messages I did not touch", () => {
    const a = msg({ reactions: liked(0) });
    const state = run([
      { type: "loaded", messages: [a], older: null, at: 1 },
      { type: "received", messages: [{ ...a, reactions: liked(1) }], at: 2 },
    ]);
    expect(state.messages[0]?.reactions).toEqual(liked(1));
  });
});

describe("edits and removals", () => {
  const t = (minute: number) => new Date(Date.UTC(2030, 0, 1, 10, minute)).toISOString();

  it("takes a newer edit from a refresh and never goes back to older text", () => {
    const a = msg({ content: "Lab at 9" });
    let state = run([{ type: "loaded", messages: [a], older: null, at: 1 }]);
    state = timelineReducer(state, { type: "received", messages: [{ ...a, content: "Lab at 10", edited_at: t(1) }], at: 2 });
    expect(state.messages[0]).toMatchObject({ content: "Lab at 10", edited_at: t(1) });
    // A refresh that read the message before the edit.
    state = timelineReducer(state, { type: "received", messages: [a], at: 3 });
    expect(state.messages[0]?.content).toBe("Lab at 10");
    state = timelineReducer(state, { type: "replaced", message: { ...a, content: "Lab at 11", edited_at: t(2) } });
    expect(state.messages[0]).toMatchObject({ content: "Lab at 11", edited_at: t(2) });
  });

  it("keeps a removed message in its place as a tombstone, for good", () => {
    const [a, b, c] = [msg(), msg({ reactions: { like_count: 2, heart_count: 0, mine: ["like"] } }), msg()];
    let state = run([{ type: "loaded", messages: [a!, b!, c!], older: null, at: 1 }]);
    const tombstone = { ...b!, content: "", removed: "teacher" as const, reactions: { like_count: 0, heart_count: 0, mine: [] } };
    state = timelineReducer(state, { type: "received", messages: [tombstone], at: 2 });
    expect(ids(state)).toEqual([a!.message_id, b!.message_id, c!.message_id]);
    expect(state.messages[1]).toMatchObject({ content: "", removed: "teacher", reactions: { like_count: 0 } });
    // A stale copy from before the removal changes nothing.
    expect(timelineReducer(state, { type: "received", messages: [b!], at: 3 })).toBe(state);
    expect(timelineReducer(state, { type: "replaced", message: { ...b!, content: "edited late", edited_at: t(5) } })).toBe(state);
  });
});
