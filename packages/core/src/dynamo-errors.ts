/** How DynamoDB refusals surface through ElectroDB, and how long to wait before trying again. */
import { DomainError } from "./errors.ts";

/** A conditional write whose condition did not hold (ElectroDB wraps the SDK error in `cause`). */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { cause?: { name?: string }; name?: string } | undefined)?.cause?.name;
  return name === "ConditionalCheckFailedException";
}

/**
 * What a canceled ElectroDB transaction says about each of its items, read by name: `names`
 * labels the items in the order the transaction listed them. `failed` holds the names whose
 * condition did not hold; `item` is the item a failed condition returned (with `all_old`).
 */
export function transactionOutcome<const N extends string>(
  result: { canceled: boolean; data: Array<{ code?: string; item?: unknown }> },
  names: readonly N[],
): { failed: ReadonlySet<N>; item: (name: N) => unknown } {
  const failed = new Set<N>();
  if (result.canceled) {
    names.forEach((name, i) => {
      if (result.data[i]?.code === "ConditionalCheckFailed") failed.add(name);
    });
  }
  return { failed, item: (name) => (result.canceled ? result.data[names.indexOf(name)]?.item : undefined) };
}

/** How long a write keeps retrying an optimistic conflict before it gives up (a Lambda times out at 10 s). */
export const RETRY_BUDGET_MS = 6_000;

/**
 * Attempt numbers for an optimistic write, until the time budget is spent. Between attempts
 * it sleeps a random time up to an exponentially growing cap (full jitter), which spreads
 * many contending writers out instead of letting them collide again in lockstep.
 */
export async function* attempts(budgetMs = RETRY_BUDGET_MS): AsyncGenerator<number> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    yield attempt;
    if (Date.now() >= deadline) return;
    await pause(attempt);
  }
}

/** Sleeps a random time up to 4 ms × 2^attempt, at most 100 ms. */
export function pause(attempt: number): Promise<void> {
  const cap = Math.min(100, 4 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
}

export function contended(what: string): DomainError {
  return new DomainError("unavailable", "write.contended", `Too many concurrent changes to this ${what}; please try again.`);
}
