/**
 * Per-user rate limiting shared by every API instance: a fixed-window counter in the
 * table, bumped with one atomic UpdateItem per write. Limits live in `LIMITS`.
 */
import { DomainError } from "../errors.ts";
import { db } from "../table.ts";

export const LIMITS = {
  /** Messages, reactions, posts, comments, deletes and class changes by one user. */
  write: { max: 60, windowSeconds: 10 },
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
    throw new DomainError("rate_limited", "rate.limited", `Too many changes in a short time. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}
