/**
 * Sending a chat message: the class's sequencer (see the cursor guarantee in index.ts) and
 * the in-process turn queue for writers that lost a race.
 */
import * as z from "zod";
import { RETRY_BUDGET_MS, contended, pause, transactionOutcome } from "../dynamo-errors.ts";
import { conflict } from "../errors.ts";
import { Content } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id, newId } from "../ids.ts";
import { MAX_MESSAGE_LENGTH } from "../limits.ts";
import { unwritable } from "../class/index.ts";
import { classNotFound, membershipOf } from "../membership/index.ts";
import { db } from "../table.ts";
import { Sent, assertNotMuted, expiresAt, positionCursor } from "./shapes.ts";

export const SendInput = z.object({
  class_id: Id,
  content: Content(MAX_MESSAGE_LENGTH),
  /** Chosen by the client to make retries safe; a retry with the same id returns the first result. */
  message_id: Id.optional(),
});

export interface SendOptions {
  /**
   * Fault-injection seam: awaited after the sender has taken its position and before it
   * commits, to reproduce a writer that stalls (GC pause, slow network) in tests.
   */
  beforeCommit?: (position: string) => Promise<void>;
}

function nextPosition(last: string | undefined, now = Date.now()): string {
  const after = last ? Date.parse(last) + 1 : 0;
  return new Date(Math.max(now, after)).toISOString();
}

export const send = fn(SendInput, Sent, async (input, actor, options?: SendOptions) => {
  const membership = await membershipOf(input.class_id, actor.userId);
  if (!membership) throw classNotFound();
  assertNotMuted(membership);
  const message_id = input.message_id ?? newId();
  const entities = db().entities;

  const replay = async (): Promise<Sent | undefined> => {
    const { data } = await entities.messageRef.get({ message_id }).go({ consistent: true });
    if (!data) return undefined;
    if (data.class_id !== input.class_id || data.author_id !== actor.userId || data.content !== input.content) {
      throw conflict("chat.message_id_taken", "This message id was already used for a different message.");
    }
    return { message_id, created_at: data.created_at, position: positionCursor(data.class_id, data.created_at) };
  };

  if (input.message_id) {
    const previous = await replay();
    if (previous) return previous;
  }

  // The class's last position: read once, then learnt from each lost condition (ALL_OLD),
  // so a writer that loses a race retries at once with fresh state instead of re-reading.
  let known: { last: string | undefined; count: number } | undefined;

  const attempt = async (n: number): Promise<Sent | undefined> => {
    if (!known) {
      const { data: klass } = await entities.class.get({ class_id: input.class_id }).go({ consistent: true });
      if (!klass) throw classNotFound();
      const refused = unwritable(klass);
      if (refused) throw refused;
      known = { last: klass.last_message_at, count: klass.message_count ?? 0 };
    }
    const { last, count } = known;
    const created_at = nextPosition(last);
    const expires_at = expiresAt(created_at);
    await options?.beforeCommit?.(created_at);

    const result = await db()
      .transaction.write(({ class: klassEntity, message, messageRef }) => [
        klassEntity
          .patch({ class_id: input.class_id })
          .set({ last_message_at: created_at })
          .add({ message_count: 1 })
          // Still at the position read, and still writable (not archived or deleted meanwhile).
          .where(
            (attr, op) =>
              `${last === undefined ? op.notExists(attr.last_message_at) : op.eq(attr.last_message_at, last)} AND ${op.notExists(attr.deleted_at)} AND (${op.notExists(attr.state)} OR ${op.ne(attr.state, "archived")})`,
          )
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
            // The class's message counter after this message (exact: the same condition orders both).
            seq: count + 1,
            expires_at,
          })
          .commit(),
        messageRef
          .create({ message_id, class_id: input.class_id, created_at, author_id: actor.userId, content: input.content, expires_at })
          .commit(),
      ])
      .go();

    if (!result.canceled) {
      return { message_id, created_at, position: positionCursor(input.class_id, created_at) };
    }
    const outcome = transactionOutcome(result, ["sequence", "message", "ref"]);
    if (outcome.failed.has("ref")) {
      const previous = await replay();
      if (previous) return previous;
    }
    const current = outcome.failed.has("sequence") ? outcome.item("sequence") : undefined;
    const refused = current ? unwritable(current as Parameters<typeof unwritable>[0]) : undefined;
    if (refused) throw refused;
    if (current) {
      // Another message took the position first: go again right after it.
      const seen = current as { last_message_at?: string; message_count?: number };
      known = { last: seen.last_message_at, count: seen.message_count ?? 0 };
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
