/**
 * Per-user rate limiting shared by every API instance: a fixed-window counter in the
 * table, bumped with one atomic UpdateItem per write. Limits live in `LIMITS`.
 */
import { DomainError } from "../errors.ts";
import { db } from "../table.ts";

export const LIMITS = {
  /** Messages, reactions, posts, comments, deletes and class changes by one user. */
  write: { max: 60, windowSeconds: 10 },
  /**
   * Attempts to join a class by code that did not succeed, per user. Every attempt counts while it
   * runs and a successful one is given back (`refund`), so parallel guesses cannot slip past.
   */
  join: { max: 10, windowSeconds: 600 },
  /** "Opened" signals for recommendations, per user (a person opens a few items a minute). */
  interaction: { max: 60, windowSeconds: 60 },
} as const;

export type Bucket = keyof typeof LIMITS;

/** Counts one action; throws `rate.limited` (with seconds to wait) when the user is over the limit. */
export async function consume(userId: string, bucket: Bucket, now = Date.now()): Promise<void> {
  const { max, windowSeconds } = LIMITS[bucket];
  const nowSeconds = now / 1000;
  const window = Math.floor(nowSeconds / windowSeconds);
  const { data } = await db()
    .entities.rateWindow.update({ user_id: userId, bucket, window })
    .add({ count: 1 })
    .set({ expires_at: (window + 2) * windowSeconds })
    .go({ response: "updated_new" });
  if ((data.count ?? 0) > max) {
    const retryAfterSeconds = Math.max(1, Math.ceil((window + 1) * windowSeconds - nowSeconds));
    const what =
      bucket === "join" ? "Too many attempts to join a class" : bucket === "interaction" ? "Too many items opened in a short time" : "Too many changes in a short time";
    throw new DomainError("rate_limited", "rate.limited", `${what}. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

/** Gives back an action counted by `consume` at the same `now` (it turned out not to count). */
export async function refund(userId: string, bucket: Bucket, now: number): Promise<void> {
  const window = Math.floor(now / 1000 / LIMITS[bucket].windowSeconds);
  await db()
    .entities.rateWindow.patch({ user_id: userId, bucket, window })
    .add({ count: -1 })
    .go()
    .catch(() => undefined);
}
