/**
 * Runs the stream Lambda locally: reads DynamoDB Local's stream for the table and invokes
 * the same handler Lambda runs, with Lambda-shaped events, honouring its partial batch
 * failures (a failed record and those after it are delivered again). Checkpoints are kept
 * in memory: after a restart the stream is read from its start, which the handler's
 * idempotency makes harmless.
 */
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";

export interface StreamPoller {
  /** Resolves once every record written so far has been handled. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: Handler;
  /** Pause between passes that found nothing new (default 250 ms). */
  intervalMs?: number;
  /**
   * Where to begin: every record in the stream (default; as after a restart), or only records
   * written after the poller started (as a new event source mapping starting at LATEST).
   */
  from?: "start" | "now";
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const table = new DynamoDBClient({ endpoint: options.endpoint, region: "local", credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: "local", credentials });
  const checkpoints = new Map<string, string>(); // shard id -> last handled sequence number
  const closed = new Set<string>();
  let running = true;
  let idleWaiters: Array<() => void> = [];

  const toLambda = (record: _Record, arn: string) => {
    const created = record.dynamodb?.ApproximateCreationDateTime as Date | number | undefined;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventSource: "aws:dynamodb",
      eventSourceARN: arn,
      awsRegion: "local",
      dynamodb: {
        ...record.dynamodb,
        ApproximateCreationDateTime: created instanceof Date ? created.getTime() / 1000 : created,
      },
    } as DynamoDBStreamEvent["Records"][number];
  };

  /** One pass over every open shard; returns whether any record was handled. `skip` only moves the checkpoints. */
  async function pass(skip = false): Promise<boolean> {
    const described = await table.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = described.Table?.LatestStreamArn;
    if (!arn) return false;
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    let handled = false;
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (closed.has(shardId)) continue;
      const after = checkpoints.get(shardId);
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shardId,
          ShardIteratorType: after ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON",
          ...(after ? { SequenceNumber: after } : {}),
        }),
      );
      let iterator = ShardIterator;
      while (iterator && running) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
        const records = page.Records ?? [];
        if (records.length === 0) {
          if (!page.NextShardIterator && shard.SequenceNumberRange?.EndingSequenceNumber) closed.add(shardId);
          break;
        }
        const result = skip ? { batchItemFailures: [] } : await options.handler({ Records: records.map((r) => toLambda(r, arn)) });
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        const firstFailed = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ""));
        const done = firstFailed === -1 ? records : records.slice(0, firstFailed);
        const last = done[done.length - 1]?.dynamodb?.SequenceNumber;
        if (last) checkpoints.set(shardId, last);
        handled ||= done.length > 0;
        if (firstFailed !== -1) break; // retried from the failed record on the next pass
        iterator = page.NextShardIterator;
      }
    }
    return handled;
  }

  const loop = (async () => {
    if (options.from === "now") {
      for (;;) {
        try {
          await pass(true);
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
        }
      }
    }
    while (running) {
      let busy = false;
      try {
        busy = await pass();
      } catch {
        // DynamoDB Local restarting or briefly unreachable: try again on the next tick.
      }
      if (!busy) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((resolve) => resolve());
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
      }
    }
  })();

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        // Wait for a full pass that starts after this call and finds nothing new.
        let passes = 0;
        const check = () => (++passes >= 2 ? resolve() : idleWaiters.push(check));
        idleWaiters.push(check);
      }),
    async stop() {
      running = false;
      await loop;
      table.destroy();
      streams.destroy();
    },
  };
}
