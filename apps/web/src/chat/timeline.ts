/**
 * The chat timeline of one class, as plain data and a reducer (no React, no network), so the
 * rules that keep it right are tested on their own:
 *
 * - Messages from every source (first page, older pages, polls, reaction refreshes, my own
 *   sends) are merged by `message_id` and ordered by `created_at`, the server's sequence for
 *   the class: a message is never shown twice, and a late or repeated page changes nothing.
 * - My unsent messages wait in the outbox, below the server's messages, as "sending" or
 *   "failed"; once the server confirms one, it moves into the timeline at its server position.
 * - Reaction toggles show at once (an overlay of pending toggles on the server's counts); the
 *   server's answer to a toggle replaces the counts, and a refresh that started before that
 *   answer, or while a toggle is still on its way, never overwrites them with older counts.
 * - Edits and removals come from the server (a refresh, or the answer to my own edit): a newer
 *   edit replaces the text, and a removed message stays removed, in its place, as a tombstone.
 */
import type { RouterOutputs } from "@classroom/api";

export type ChatMessage = RouterOutputs["chat"]["list"]["messages"][number];
export type Reactions = ChatMessage["reactions"];
export type ReactionType = Reactions["mine"][number];

export interface OutgoingMessage {
  message_id: string;
  content: string;
  status: "sending" | "failed";
  /** Why the last attempt failed, in words for a person. */
  error?: string;
}

export interface TimelineState {
  /** Confirmed messages, oldest first, unique by id. */
  messages: ChatMessage[];
  /** My messages not yet confirmed, in the order I wrote them. */
  outbox: OutgoingMessage[];
  /** Toggles sent but not yet answered, per message. */
  pendingReactions: Record<string, ReactionType[]>;
  /** The logical time at which each message's reactions were last set from a toggle's answer. */
  reactionsSetAt: Record<string, number>;
  /** Cursor for the page before the oldest loaded message; null once the start is reached. */
  older: string | null;
}

export const emptyTimeline: TimelineState = {
  messages: [],
  outbox: [],
  pendingReactions: {},
  reactionsSetAt: {},
  older: null,
};

export interface Author {
  userId: string;
  name: string;
}

export type TimelineAction =
  /** The newest page (first load): replaces the timeline's paging state. `at` is when its request started. */
  | { type: "loaded"; messages: ChatMessage[]; older: string | null; at: number }
  | { type: "olderLoaded"; messages: ChatMessage[]; older: string | null; at: number }
  /** New messages from a poll, or a refreshed page: merged, never removing anything. */
  | { type: "received"; messages: ChatMessage[]; at: number }
  /** The server's answer to an edit or a removal of one message. */
  | { type: "replaced"; message: ChatMessage }
  | { type: "sendStarted"; message_id: string; content: string }
  | { type: "sendSucceeded"; message_id: string; created_at: string; class_id: string; author: Author }
  | { type: "sendFailed"; message_id: string; error: string }
  | { type: "discarded"; message_id: string }
  | { type: "reactStarted"; message_id: string; reaction: ReactionType }
  | { type: "reactSettled"; message_id: string; reaction: ReactionType; result: Reactions; at: number }
  | { type: "reactFailed"; message_id: string; reaction: ReactionType };

function compareMessages(a: ChatMessage, b: ChatMessage): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.message_id < b.message_id ? -1 : a.message_id > b.message_id ? 1 : 0;
}

/**
 * Merges `incoming` into `state.messages` by id. A known message keeps its reactions unless
 * the incoming copy is newer than the last toggle answer and no toggle is pending on it.
 */
export function mergeMessages(state: TimelineState, incoming: readonly ChatMessage[], at: number): ChatMessage[] {
  if (incoming.length === 0) return state.messages;
  const byId = new Map(state.messages.map((m) => [m.message_id, m]));
  let changed = false;
  for (const message of incoming) {
    const known = byId.get(message.message_id);
    if (!known) {
      byId.set(message.message_id, message);
      changed = true;
      continue;
    }
    let next = withNewerText(known, message);
    const pending = state.pendingReactions[message.message_id]?.length ?? 0;
    const settledAt = state.reactionsSetAt[message.message_id] ?? -Infinity;
    if (!next.removed && pending === 0 && at > settledAt && !sameReactions(next.reactions, message.reactions)) {
      next = { ...next, reactions: message.reactions };
    }
    if (next !== known) {
      byId.set(message.message_id, next);
      changed = true;
    }
  }
  if (!changed) return state.messages;
  return [...byId.values()].sort(compareMessages);
}

/**
 * The text to show of a message known in two copies: a removal is final (and takes the
 * tombstone's empty reactions), otherwise the copy edited last wins. Returns `known` when
 * nothing changes.
 */
export function withNewerText(known: ChatMessage, incoming: ChatMessage): ChatMessage {
  if (known.removed) return known;
  if (incoming.removed) return incoming;
  if ((incoming.edited_at ?? "") > (known.edited_at ?? "")) return { ...known, content: incoming.content, edited_at: incoming.edited_at };
  return known;
}

function sameReactions(a: Reactions, b: Reactions): boolean {
  return (
    a.like_count === b.like_count &&
    a.heart_count === b.heart_count &&
    a.mine.length === b.mine.length &&
    a.mine.every((r) => b.mine.includes(r))
  );
}

function withoutOutgoing(outbox: OutgoingMessage[], ids: Iterable<string>): OutgoingMessage[] {
  const confirmed = new Set(ids);
  const rest = outbox.filter((m) => !confirmed.has(m.message_id));
  return rest.length === outbox.length ? outbox : rest;
}

function removeOne<T>(list: readonly T[] | undefined, item: T): T[] {
  const copy = [...(list ?? [])];
  const index = copy.indexOf(item);
  if (index >= 0) copy.splice(index, 1);
  return copy;
}

function setPending(state: TimelineState, message_id: string, pending: ReactionType[]): Record<string, ReactionType[]> {
  const next = { ...state.pendingReactions };
  if (pending.length > 0) next[message_id] = pending;
  else delete next[message_id];
  return next;
}

export function timelineReducer(state: TimelineState, action: TimelineAction): TimelineState {
  switch (action.type) {
    case "loaded":
    case "olderLoaded":
    case "received": {
      const messages = mergeMessages(state, action.messages, action.at);
      const outbox = withoutOutgoing(state.outbox, action.messages.map((m) => m.message_id));
      const older = action.type === "received" ? state.older : action.older;
      if (messages === state.messages && outbox === state.outbox && older === state.older) return state;
      return { ...state, messages, outbox, older };
    }
    case "sendStarted": {
      const existing = state.outbox.find((m) => m.message_id === action.message_id);
      if (existing) {
        return {
          ...state,
          outbox: state.outbox.map((m) => (m.message_id === action.message_id ? { message_id: m.message_id, content: m.content, status: "sending" } : m)),
        };
      }
      return { ...state, outbox: [...state.outbox, { message_id: action.message_id, content: action.content, status: "sending" }] };
    }
    case "sendSucceeded": {
      const outgoing = state.outbox.find((m) => m.message_id === action.message_id);
      const outbox = withoutOutgoing(state.outbox, [action.message_id]);
      if (!outgoing || state.messages.some((m) => m.message_id === action.message_id)) return { ...state, outbox };
      const message: ChatMessage = {
        message_id: action.message_id,
        class_id: action.class_id,
        author_id: action.author.userId,
        author_name: action.author.name,
        content: outgoing.content.trim(),
        created_at: action.created_at,
        reactions: { like_count: 0, heart_count: 0, mine: [] },
        edited_at: null,
        removed: null,
      };
      return { ...state, outbox, messages: [...state.messages, message].sort(compareMessages) };
    }
    case "replaced": {
      const index = state.messages.findIndex((m) => m.message_id === action.message.message_id);
      const known = state.messages[index];
      if (!known) return state;
      const next = withNewerText(known, action.message);
      if (next === known) return state;
      const messages = [...state.messages];
      messages[index] = next;
      return { ...state, messages };
    }
    case "sendFailed":
      return {
        ...state,
        outbox: state.outbox.map((m) => (m.message_id === action.message_id ? { ...m, status: "failed", error: action.error } : m)),
      };
    case "discarded":
      return { ...state, outbox: withoutOutgoing(state.outbox, [action.message_id]) };
    case "reactStarted":
      return {
        ...state,
        pendingReactions: setPending(state, action.message_id, [...(state.pendingReactions[action.message_id] ?? []), action.reaction]),
      };
    case "reactSettled":
      return {
        ...state,
        pendingReactions: setPending(state, action.message_id, removeOne(state.pendingReactions[action.message_id], action.reaction)),
        reactionsSetAt: { ...state.reactionsSetAt, [action.message_id]: action.at },
        messages: state.messages.map((m) => (m.message_id === action.message_id ? { ...m, reactions: action.result } : m)),
      };
    case "reactFailed":
      return {
        ...state,
        pendingReactions: setPending(state, action.message_id, removeOne(state.pendingReactions[action.message_id], action.reaction)),
      };
  }
}

/** The counts to show: the server's, with my unanswered toggles applied on top. */
export function displayedReactions(reactions: Reactions, pending: readonly ReactionType[] = []): Reactions {
  let { like_count, heart_count } = reactions;
  const mine = new Set(reactions.mine);
  for (const reaction of pending) {
    const delta = mine.has(reaction) ? -1 : 1;
    if (mine.has(reaction)) mine.delete(reaction);
    else mine.add(reaction);
    if (reaction === "like") like_count = Math.max(0, like_count + delta);
    else heart_count = Math.max(0, heart_count + delta);
  }
  return { like_count, heart_count, mine: (["like", "heart"] as const).filter((r) => mine.has(r)) };
}

export type TimelineItem =
  | { kind: "message"; message: ChatMessage; reactions: Reactions; reacting: boolean }
  | { kind: "outgoing"; message: OutgoingMessage };

/** What the chat shows, top to bottom. */
export function timelineItems(state: TimelineState): TimelineItem[] {
  const items: TimelineItem[] = state.messages.map((message) => {
    const pending = state.pendingReactions[message.message_id];
    return {
      kind: "message",
      message,
      reactions: displayedReactions(message.reactions, pending),
      reacting: (pending?.length ?? 0) > 0,
    };
  });
  for (const message of state.outbox) items.push({ kind: "outgoing", message });
  return items;
}

/** A message id the API accepts (letters, digits, - and _; at most 64) and that nobody else will pick. */
export function newMessageId(): string {
  return crypto.randomUUID();
}
