import { bus, publisherEnvironment } from "./events.ts";
import { files } from "./files.ts";
import { table } from "./storage.ts";

/**
 * The table's stream feeds the audit trail, the per-class daily stats and the domain events
 * (published on the bus in events.ts, for notifications). Delivery is
 * at-least-once and the handler is idempotent. A failing batch is split (bisect) and retried
 * a bounded number of times; the handler reports the records that failed so the rest of the
 * batch is not redone. What still fails after that (or outlives the stream's 24 h retention)
 * lands in the dead-letter queue: Lambda sends the shard and sequence-number range, not the
 * record, so replay reads the stream (or the table) from those positions.
 */
export const streamDeadLetters = new sst.aws.Queue("StreamDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

export const streamSubscriber = table.subscribe(
  "AuditAndStats",
  {
    handler: "packages/api/src/lambda/stream.handler",
    runtime: "nodejs24.x",
    architecture: "arm64",
    memory: "512 MB",
    timeout: "1 minute",
    // The files bucket: the objects of removed posts and deleted assignments are deleted from it.
    link: [table, bus, files],
    environment: { CLASSROOM_TABLE: table.name, EVENT_BUS_NAME: publisherEnvironment.EVENT_BUS_NAME, FILES_BUCKET: files.name },
    logging: { retention: "1 month" },
    permissions: [
      // The event source mapping sends on-failure records with the function's role.
      { actions: ["sqs:SendMessage"], resources: [streamDeadLetters.arn] },
      { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
    ],
    transform: {
      function: { tracingConfig: { mode: "Active" } },
    },
  },
  {
    transform: {
      eventSourceMapping: {
        startingPosition: "LATEST",
        batchSize: 100,
        maximumRetryAttempts: 5,
        maximumRecordAgeInSeconds: 24 * 60 * 60,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: streamDeadLetters.arn } },
      },
    },
  },
);

/** The subscriber's function, for the dashboard and the error-rate alarm. */
export const streamFunction = streamSubscriber.nodes.function;
