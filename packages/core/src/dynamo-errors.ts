/** How DynamoDB refusals surface through ElectroDB, and how long to wait before trying again. */
import { DomainError } from "./errors.ts";

/** A conditional write whose condition did not hold (ElectroDB wraps the SDK error in `cause`). */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { cause?: { name?: string }; name?: string } | undefined)?.cause?.name;
  return name === "ConditionalCheckFailedException";
}

/** The per-item codes of a canceled ElectroDB transaction ("None", "ConditionalCheckFailed", "TransactionConflict", ...). */
export function cancellationCodes(result: { canceled: boolean; data: Array<{ code?: string }> }): string[] {
  return result.canceled ? result.data.map((item) => item.code ?? "None") : [];
}

/** Jittered exponential backoff for optimistic retries: 5 ms, 10 ms, 20 ms ... capped at 200 ms. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(200, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
}

export const MAX_ATTEMPTS = 25;

export function contended(what: string): DomainError {
  return new DomainError("unavailable", "write.contended", `Too many concurrent changes to this ${what}; please try again.`);
}
