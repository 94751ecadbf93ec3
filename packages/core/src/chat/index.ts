/**
 * Class chat: send (send.ts), list/poll (reads.ts), reactions (reactions.ts), and editing
 * and removing messages (moderation.ts).
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
 */
export { MAX_MESSAGE_LENGTH, MAX_MESSAGE_PAGE, DEFAULT_MESSAGE_PAGE, MESSAGE_TTL_DAYS, REACTION_TYPES } from "../limits.ts";
export * from "./shapes.ts";
export * from "./send.ts";
export * from "./reads.ts";
export * from "./reactions.ts";
export * from "./moderation.ts";
export * from "./markers.ts";
