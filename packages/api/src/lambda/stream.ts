/**
 * Lambda entry point for the table's stream. Each record becomes one `TableChange` handed to
 * every domain's stream consumer (one line per domain below). Every record of the batch is
 * handled; those that fail are reported back (partial batch response). Lambda then retries
 * from the lowest failed record, so the records after it are delivered again: harmless,
 * because every consumer is idempotent per stream record.
 */
import { unmarshall } from "@aws-sdk/util-dynamodb";
import * as Audit from "@classroom/core/audit";
import * as File from "@classroom/core/file";
import * as Standing from "@classroom/core/standing";
import * as Recommendation from "@classroom/core/recommendation";
import type { Image, StreamConsumer, TableChange } from "@classroom/core/stream";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { publishEvents } from "../events/publisher.ts";
import { DomainError } from "@classroom/core/errors";
import { describeError } from "../errors.ts";
import { logger } from "../log.ts";

const consumers: StreamConsumer[] = [
  Audit.consume, // the audit trail and daily statistics
  publishEvents, // domain events to the bus, for notifications
  File.consume, // files of removed posts and deleted assignments leave the bucket
  Standing.consume, // standings settled after assignment changes, rekeyed after a writer died half way
  Recommendation.consume, // interactions for recommendations: comments on posts, turned-in assignments
];

const ACTIONS = { INSERT: "insert", MODIFY: "modify", REMOVE: "remove" } as const;

function image(value: unknown): Image | undefined {
  return value ? (unmarshall(value as Record<string, AttributeValue>, { wrapNumbers: false }) as Image) : undefined;
}

export function changeOf(record: DynamoDBRecord): TableChange | undefined {
  const action = record.eventName ? ACTIONS[record.eventName] : undefined;
  if (!action || !record.eventID || !record.dynamodb) return undefined;
  // The record's own time keys what consumers write, so redeliveries must carry the same one.
  const seconds = record.dynamodb.ApproximateCreationDateTime;
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw new DomainError("bad_request", "stream.record_malformed", "A stream record without a readable ApproximateCreationDateTime.");
  }
  const before = image(record.dynamodb.OldImage);
  const after = image(record.dynamodb.NewImage);
  return {
    event_id: record.eventID,
    action,
    at: new Date(seconds * 1000).toISOString(),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  };
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failures: DynamoDBBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records ?? []) {
    try {
      const change = changeOf(record);
      if (change) for (const consume of consumers) await consume(change);
    } catch (error) {
      // The code says what kind of failure it was (`internal` for a bug; a service's for an outage).
      logger.error("stream record failed", { eventID: record.eventID, code: describeError(error).code, error: error as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? "" });
    }
  }
  return { batchItemFailures: failures };
}
