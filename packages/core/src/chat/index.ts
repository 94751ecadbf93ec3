/**
 * Class chat: send, list/poll, and reactions.
 *
 * ## The cursor guarantee
 * A reader that follows `newer` cursors sees every message of a class exactly once, in one
 * stable order, however many writers send at once and however their clocks skew.
 *
 * How: a class's messages are sorted by `created_at`, and `created_at` is the class's
 * sequence. A sender reads the class's `last_message_at` (strongly consistent), takes
 * `max(now, last + 1 ms)`, and commits ONE transaction that (a) moves `last_message_at`
 * forward on the condition that it is still the value read, and (b) writes the message.
 * So positions are unique and strictly increasing, and a message becomes visible only
 * together with its position, after every earlier position is already visible. A writer
 * that stalls between reading and committing simply loses the condition and retries at a
 * later position: it can never land behind a reader's cursor. Readers use a strongly
 * consistent Query on the base table (a GSI cannot be read consistently), so a poll sees
 * every committed message. The seed's `lastMessageTimestamp` is therefore exact as well.
 *
 * Sending is idempotent: a client may choose the `message_id`; the message's ref item is
 * created in the same transaction under that id, so a retry returns the first result.
 *
 * Reactions: each toggle is ONE conditional UpdateItem that changes the count together
 * with the set of users (`ADD like_count 1, liked_by {me}` only if I am not in `liked_by`,
 * and the reverse), so `like_count == |liked_by|` under any concurrency.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, decodeCursor, encodeCursor } from "../cursor.ts";
import { RETRY_BUDGET_MS, attempts, cancellationCodes, contended, isConditionFailure, pause } from "../dynamo-errors.ts";
import { DomainError, badRequest, conflict, notFound } from "../errors.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { touch } from "../class/index.ts";
import { MEMBERSHIP_CACHE_MS, requireMember } from "../membership/index.ts";
import { db } from "../table.ts";

export const MAX_CONTENT_LENGTH = 2000;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
export const MESSAGE_TTL_DAYS = 90;
export const REACTION_TYPES = ["like", "heart"] as const;
export type ReactionType = (typeof REACTION_TYPES)[number];

export interface Reactions {
  like_count: number;
  heart_count: number;
  /** The reactions of the user who asked. */
  mine: ReactionType[];
}

export interface Message {
  message_id: string;
  class_id: string;
  author_id: string;
  author_name: string;
  content: string;
  created_at: string;
  reactions: Reactions;
}

export interface MessagePage {
  /** Oldest first. */
  messages: Message[];
  /** Pass as `cursor` with direction "backward" for the page before these; null when there is none. */
  older: string | null;
  /** Pass as `cursor` with direction "forward" to get what came after these (the poll cursor). Always set. */
  newer: string;
  /** More messages exist in the direction asked (beyond this page). */
  has_more: boolean;
}

export const Content = z
  .string()
  .max(MAX_CONTENT_LENGTH, `must be at most ${MAX_CONTENT_LENGTH} characters`)
  .transform((value) => value.trim())
  .refine((value) => value.length > 0, "must not be empty");

export const SendInput = z.object({
  class_id: Id,
  content: Content,
  /** Chosen by the client to make retries safe; a retry with the same id returns the first result. */
  message_id: Id.optional(),
});

export interface Sent {
  message_id: string;
  created_at: string;
  /** The poll position right after this message. */
  position: string;
}

export interface SendOptions {
  /**
   * Fault-injection seam: awaited after the sender has taken its position and before it
   * commits, to reproduce a writer that stalls (GC pause, slow network) in tests.
   */
  beforeCommit?: (position: string) => Promise<void>;
}

const scope = (classId: string) => `chat:${classId}`;

function nextPosition(last: string | undefined, now = Date.now()): string {
  const after = last ? Date.parse(last) + 1 : 0;
  return new Date(Math.max(now, after)).toISOString();
}

function expiresAt(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + MESSAGE_TTL_DAYS * 24 * 3600;
}

export const send = fn(SendInput, async (input, actor, options?: SendOptions): Promise<Sent> => {
  await requireMember(input.class_id, actor);
  const message_id = input.message_id ?? newId();
  const entities = db().entities;

  const replay = async (): Promise<Sent | undefined> => {
    const { data } = await entities.messageRef.get({ message_id }).go({ consistent: true });
    if (!data) return undefined;
    if (data.class_id !== input.class_id || data.author_id !== actor.userId || data.content !== input.content) {
      throw conflict("chat.message_id_taken", "This message id was already used for a different message.");
    }
    return { message_id, created_at: data.created_at, position: encodeCursor(scope(data.class_id), data.created_at) };
  };

  if (input.message_id) {
    const previous = await replay();
    if (previous) return previous;
  }

  // The class's last position: read once, then learnt from each lost condition (ALL_OLD),
  // so a writer that loses a race retries at once with fresh state instead of re-reading.
  let known: { last: string | undefined } | undefined;

  const attempt = async (n: number): Promise<Sent | undefined> => {
    if (!known) {
      const { data: klass } = await entities.class.get({ class_id: input.class_id }).go({ consistent: true });
      if (!klass) throw notFound("class.not_found", "No class with this id was found.");
      known = { last: klass.last_message_at };
    }
    const last = known.last;
    const created_at = nextPosition(last);
    const expires_at = expiresAt(created_at);
    await options?.beforeCommit?.(created_at);

    const result = await db()
      .transaction.write(({ class: klassEntity, message, messageRef }) => [
        klassEntity
          .patch({ class_id: input.class_id })
          .set({ last_message_at: created_at })
          .add({ message_count: 1 })
          .where((attr, op) => (last === undefined ? op.notExists(attr.last_message_at) : op.eq(attr.last_message_at, last)))
          .commit({ response: "all_old" }),
        message
          .create({
            class_id: input.class_id,
            created_at,
            message_id,
            author_id: actor.userId,
            author_name: actor.name,
            content: input.content,
            like_count: 0,
            heart_count: 0,
            expires_at,
          })
          .commit(),
        messageRef
          .create({ message_id, class_id: input.class_id, created_at, author_id: actor.userId, content: input.content, expires_at })
          .commit(),
      ])
      .go();

    if (!result.canceled) {
      return { message_id, created_at, position: encodeCursor(scope(input.class_id), created_at) };
    }
    const codes = cancellationCodes(result);
    if (codes[2] === "ConditionalCheckFailed") {
      const previous = await replay();
      if (previous) return previous;
    }
    const current = codes[0] === "ConditionalCheckFailed" ? result.data[0]?.item : undefined;
    if (current) {
      // Another message took the position first: go again right after it.
      known = { last: (current as { last_message_at?: string }).last_message_at };
    } else {
      // A conflicting transaction in flight (or no state returned): wait a little, then re-read.
      known = undefined;
      await pause(n);
    }
    return undefined;
  };

  const first = await attempt(0);
  if (first) return first;
  // Lost a race. Writers of this process that lost take turns, so a burst into one class
  // commits one after another instead of colliding again; other processes still race.
  return inTurn(input.class_id, async () => {
    // The budget starts with this writer's turn, and there is always at least one more try.
    const deadline = Date.now() + RETRY_BUDGET_MS;
    for (let n = 1; n === 1 || Date.now() < deadline; n++) {
      const sent = await attempt(n);
      if (sent) return sent;
    }
    throw contended("class chat");
  });
});

const turns = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `inTurn` call with the same key in this process has settled. */
function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (turns.get(key) ?? Promise.resolve()).then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  turns.set(key, settled);
  void settled.then(() => {
    if (turns.get(key) === settled) turns.delete(key);
  });
  return run;
}

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** A cursor from an earlier page (`older` or `newer`). */
  cursor: Cursor.optional(),
  /** forward: oldest first from the cursor (or the start); backward: the page before the cursor (or the newest page). */
  direction: z.enum(["forward", "backward"]).default("forward"),
  /** The seed's `lastMessageTimestamp`: messages created strictly after it (exact, see above). */
  after_timestamp: z.iso.datetime({ offset: true }).optional(),
});

type StoredMessage = Omit<Message, "reactions"> & {
  like_count?: number | undefined;
  heart_count?: number | undefined;
  liked_by?: string[] | undefined;
  hearted_by?: string[] | undefined;
};

function toMessage(item: StoredMessage, viewer: string): Message {
  const mine: ReactionType[] = [];
  if (item.liked_by?.includes(viewer)) mine.push("like");
  if (item.hearted_by?.includes(viewer)) mine.push("heart");
  return {
    message_id: item.message_id,
    class_id: item.class_id,
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    created_at: item.created_at,
    reactions: { like_count: item.like_count ?? 0, heart_count: item.heart_count ?? 0, mine },
  };
}

export const list = fn(ListInput, async (input, actor): Promise<MessagePage> => {
  // Reading forward from a position is how REST clients poll; it gets the poll's membership cache.
  const polling = input.direction === "forward" && (input.cursor !== undefined || input.after_timestamp !== undefined);
  await requireMember(input.class_id, actor, polling ? { cacheMs: MEMBERSHIP_CACHE_MS } : {});
  if (input.cursor && input.after_timestamp) {
    throw badRequest("chat.cursor_and_timestamp", "Send either a cursor or a timestamp, not both.");
  }
  let position = (input.cursor ? decodeCursor(scope(input.class_id), input.cursor) : undefined) || undefined;
  if (input.after_timestamp) {
    if (input.direction === "backward") throw badRequest("chat.timestamp_backward", "A timestamp only works forward.");
    position = new Date(input.after_timestamp).toISOString();
  }
  const forward = input.direction === "forward";
  if (forward && position !== undefined) {
    // A poll through the list (the REST path's lastMessageTimestamp or cursor): skip the Query when idle.
    const { latest } = await classState(input.class_id);
    if (!latest || latest <= position) return { messages: [], older: null, newer: encodeCursor(scope(input.class_id), position), has_more: false };
  }
  return readPage(input.class_id, position, forward, input.limit, actor.userId);
});

/**
 * The class's newest message position and activity counter, read eventually consistently
 * (0.5 read units). A stale answer can only delay news to the next poll: cursors move only
 * past messages actually returned by the strongly consistent Query.
 */
async function classState(class_id: string): Promise<{ latest: string | undefined; activity: number }> {
  const { data } = await db().entities.class.get({ class_id }).go({ attributes: ["last_message_at", "activity_seq"] });
  return { latest: data?.last_message_at, activity: data?.activity_seq ?? 0 };
}

/** One page of a class's messages after (forward) or before (backward) a position; no access check. */
async function readPage(class_id: string, position: string | undefined, forward: boolean, limit: number, viewer: string): Promise<MessagePage> {
  const byClass = db().entities.message.query.byClass({ class_id });
  // Positions are unique millisecond timestamps, so "before p" is "up to p - 1 ms". A bare
  // `lt` would have no lower bound and walk into the other items of the class's partition.
  const range = !position
    ? byClass
    : forward
      ? byClass.gt({ created_at: position })
      : byClass.between({ created_at: "0" }, { created_at: new Date(Date.parse(position) - 1).toISOString() });
  const now = Math.floor(Date.now() / 1000);
  const { data } = await range
    .where((attr, op) => op.gt(attr.expires_at, now))
    .go({ consistent: true, order: forward ? "asc" : "desc", limit: limit + 1, count: limit + 1 });

  const has_more = data.length > limit;
  const page = data.slice(0, limit);
  if (!forward) page.reverse();
  const messages = page.map((item) => toMessage(item, viewer));
  const first = messages[0];
  const last = messages[messages.length - 1];
  const sc = scope(class_id);
  const olderExists = forward ? position !== undefined : has_more;
  return {
    messages,
    older: first && olderExists ? encodeCursor(sc, first.created_at) : null,
    newer: encodeCursor(sc, last?.created_at ?? position ?? ""),
    has_more,
  };
}

export const ReactInput = z.object({
  message_id: Id,
  reaction_type: z.enum(REACTION_TYPES, { error: 'must be "like" or "heart"' }),
});

export interface ReactionResult {
  like_count: number;
  heart_count: number;
  /** The actor's reactions after the toggle. */
  mine: ReactionType[];
}

/** Locates a live message a member of its class may see; anything else is `chat.message_not_found`. */
async function visibleMessage(messageId: string, actor: Actor) {
  const missing = () => notFound("chat.message_not_found", "No message with this id was found.");
  const { data: ref } = await db().entities.messageRef.get({ message_id: messageId }).go({ consistent: true });
  if (!ref || ref.expires_at <= Date.now() / 1000) throw missing();
  try {
    await requireMember(ref.class_id, actor);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") throw missing();
    throw error;
  }
  return { class_id: ref.class_id, created_at: ref.created_at };
}

/**
 * Toggles the actor's like or heart on a message. Read-then-write would race, so each
 * attempt is a single conditional UpdateItem: add me (and +1) only if I am not in the
 * set, remove me (and -1) only if I am. A lost condition means someone (me, in another
 * tab) changed it first: read again and retry.
 */
export const react = fn(ReactInput, async ({ message_id, reaction_type }, actor): Promise<ReactionResult> => {
  const key = await visibleMessage(message_id, actor);
  const message = db().entities.message;
  const user = actor.userId;

  const toggle = (adding: boolean) => {
    if (reaction_type === "like") {
      return adding
        ? message.patch(key).add({ like_count: 1, liked_by: [user] }).where((a, op) => op.notContains(a.liked_by, user))
        : message.patch(key).subtract({ like_count: 1 }).delete({ liked_by: [user] }).where((a, op) => op.contains(a.liked_by, user));
    }
    return adding
      ? message.patch(key).add({ heart_count: 1, hearted_by: [user] }).where((a, op) => op.notContains(a.hearted_by, user))
      : message.patch(key).subtract({ heart_count: 1 }).delete({ hearted_by: [user] }).where((a, op) => op.contains(a.hearted_by, user));
  };

  const { data: current } = await message.get(key).go({ consistent: true });
  if (!current) throw notFound("chat.message_not_found", "No message with this id was found.");
  let reacted = (reaction_type === "like" ? current.liked_by : current.hearted_by)?.includes(user) ?? false;

  for await (const _attempt of attempts()) {
    try {
      const { data } = await toggle(!reacted).go({ response: "all_new" });
      const { reactions } = toMessage(data as StoredMessage, user);
      await touch(key.class_id);
      return { like_count: reactions.like_count, heart_count: reactions.heart_count, mine: reactions.mine };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone (this user elsewhere) toggled first, or the message expired in between.
      const { data: now } = await message.get(key).go({ consistent: true });
      if (!now) throw notFound("chat.message_not_found", "No message with this id was found.");
      reacted = (reaction_type === "like" ? now.liked_by : now.hearted_by)?.includes(user) ?? false;
    }
  }
  throw contended("message");
});

export const PollInput = z.object({
  class_id: Id,
  /** The `newer` cursor of the last page or poll. */
  cursor: Cursor,
  limit: ListInput.shape.limit,
});

export interface Poll extends MessagePage {
  /** Changes when reactions, posts or comments change: refresh those views when it moves. */
  activity: number;
}

/**
 * Everything a class page needs to stay live, in one call: the messages after the cursor
 * (exactly once, in order) and the class's activity counter.
 *
 * Polls are the hot path (every member, every 3 s), so an idle poll costs one small read:
 * the class item (`classState`) tells whether anything was written after the cursor; only
 * then does the strongly consistent Query run. Membership is checked through a short-lived cache here
 * (see `MEMBERSHIP_CACHE_MS`); every write and every other read checks it afresh.
 */
export const poll = fn(PollInput, async (input, actor): Promise<Poll> => {
  await requireMember(input.class_id, actor, { cacheMs: MEMBERSHIP_CACHE_MS });
  const position = decodeCursor(scope(input.class_id), input.cursor) || undefined;
  const { latest, activity } = await classState(input.class_id);
  if (!latest || (position !== undefined && latest <= position)) {
    return { messages: [], older: null, newer: input.cursor, has_more: false, activity };
  }
  const page = await readPage(input.class_id, position, true, input.limit, actor.userId);
  return { ...page, activity };
});
