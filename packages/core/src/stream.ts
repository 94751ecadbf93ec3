/**
 * Table changes as the stream consumer hands them to the domains. Delivery is at-least-once
 * (Lambda retries, bisected batches), so every consumer must be idempotent per `event_id`.
 */
export type Action = "insert" | "modify" | "remove";
export type Image = Record<string, unknown>;

/** One stream record: which item changed and how, with its images before and after. */
export interface TableChange {
  /** The stream record's id: the same on every redelivery. */
  event_id: string;
  action: Action;
  /** When the change happened (the record's own time, stable across redeliveries). */
  at: string;
  before?: Image;
  after?: Image;
}

/** A domain's work on the stream (the audit trail today; notifications and rankings later). */
export type StreamConsumer = (change: TableChange) => Promise<void>;
