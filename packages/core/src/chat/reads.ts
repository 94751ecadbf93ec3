/** Reading a class's chat: pages in either direction, the seed's timestamp polling, and the cheap poll. */
import * as z from "zod";
import { Cursor, decodeCursor, encodeCursor } from "../cursor.ts";
import { badRequest } from "../errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { DEFAULT_MESSAGE_PAGE, MAX_MESSAGE_PAGE } from "../limits.ts";
import { MEMBERSHIP_CACHE_MS, requireMember } from "../membership/index.ts";
import { unreadCount } from "../notification/index.ts";
import { db } from "../table.ts";
import { MessagePage, Poll, pollHint, positionCursor, scope, toMessage } from "./shapes.ts";

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_MESSAGE_PAGE).default(DEFAULT_MESSAGE_PAGE),
  /** A cursor from an earlier page (`older` or `newer`). */
  cursor: Cursor.optional(),
  /** forward: oldest first from the cursor (or the start); backward: the page before the cursor (or the newest page). */
  direction: z.enum(["forward", "backward"]).default("forward"),
  /** The seed's `lastMessageTimestamp`: messages created strictly after it (exact, see above). */
  after_timestamp: z.iso.datetime({ offset: true }).optional(),
});

export const list = fn(ListInput, MessagePage, async (input, actor) => {
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
  let lively: string | undefined;
  if (forward && position !== undefined) {
    // A poll through the list (the REST path's lastMessageTimestamp or cursor): skip the Query when idle.
    const state = await classState(input.class_id);
    lively = state.lively;
    if (!state.latest || state.latest <= position) {
      return { messages: [], older: null, newer: positionCursor(input.class_id, position), has_more: false, poll_after_ms: pollHint(lively) };
    }
  }
  const page = await readPage(input.class_id, position, forward, input.limit, actor.userId);
  // A page reaches the newest message when nothing comes after it: forward and complete, or the newest page backward.
  const reachesNewest = forward ? !page.has_more : input.cursor === undefined;
  return { ...page, poll_after_ms: reachesNewest ? pollHint(lively ?? page.messages.at(-1)?.created_at) : null };
});

/**
 * The class's newest message position, its activity counter and when the class last changed
 * at all (a message, a reaction, a post, a comment: what the polling hint goes by), read
 * eventually consistently (0.5 read units). A stale answer can only delay news to the next
 * poll: cursors move only past messages actually returned by the strongly consistent Query.
 */
async function classState(class_id: string): Promise<{ latest: string | undefined; activity: number; lively: string | undefined }> {
  const { data } = await db().entities.class.get({ class_id }).go({ attributes: ["last_message_at", "activity_seq", "activity_at"] });
  const latest = data?.last_message_at;
  const touched = data?.activity_at;
  return { latest, activity: data?.activity_seq ?? 0, lively: latest && touched ? (latest > touched ? latest : touched) : (latest ?? touched) };
}

/** One page of a class's messages after (forward) or before (backward) a position; no access check. */
async function readPage(class_id: string, position: string | undefined, forward: boolean, limit: number, viewer: string): Promise<Omit<MessagePage, "poll_after_ms">> {
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

export const PollInput = z.object({
  class_id: Id,
  /** The `newer` cursor of the last page or poll. */
  cursor: Cursor,
  limit: ListInput.shape.limit,
});

/**
 * Everything a class page needs to stay live, in one call: the messages after the cursor
 * (exactly once, in order), the class's activity counter and the caller's unread
 * notification count.
 *
 * Polls are the hot path (every member, every 3 s), so an idle poll costs two small reads made
 * at once (0.5 read units each): the caller's inbox counter, and the class item
 * (`classState`), which tells whether anything was written after the cursor; only
 * then does the strongly consistent Query run. Membership is checked through a short-lived cache here
 * (see `MEMBERSHIP_CACHE_MS`); every write and every other read checks it afresh.
 */
export const poll = fn(PollInput, Poll, async (input, actor) => {
  await requireMember(input.class_id, actor, { cacheMs: MEMBERSHIP_CACHE_MS });
  const position = decodeCursor(scope(input.class_id), input.cursor) || undefined;
  const [{ latest, activity, lively }, unread_notifications] = await Promise.all([classState(input.class_id), unreadCount(actor.userId)]);
  if (!latest || (position !== undefined && latest <= position)) {
    return { messages: [], older: null, newer: input.cursor, has_more: false, activity, unread_notifications, poll_after_ms: pollHint(lively) };
  }
  const page = await readPage(input.class_id, position, true, input.limit, actor.userId);
  return { ...page, activity, unread_notifications, poll_after_ms: pollHint(lively) };
});
