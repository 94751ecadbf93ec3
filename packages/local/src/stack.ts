/**
 * The local stack: DynamoDB Local, a local Cognito pool, a local S3 (the files bucket), the
 * table, and the API server,
 * wired by environment variables exactly as the infra wires them on AWS. Used by `pnpm dev`
 * (with data kept on disk) and by the tests (in memory, throwaway).
 */
import { EVENTBRIDGE_ENDPOINT_ENV, EVENT_BUS_ENV } from "@classroom/api/events/publisher";
import { handler as notifier } from "@classroom/api/lambda/notifier";
import { handler as streamHandler } from "@classroom/api/lambda/stream";
import { type RunningServer, startServer } from "@classroom/api/server";
import { FILES_BUCKET_ENV, S3_ENDPOINT_ENV } from "@classroom/core/file";
import { ENDPOINT_ENV, TABLE_ENV } from "@classroom/core/table";
import { ensureTable } from "@classroom/core/table-admin";
import { type CognitoLocal, type Pool, ensurePool, startCognitoLocal } from "@classroom/local-services/cognito";
import { type DynamoLocal, startDynamoLocal } from "@classroom/local-services/dynamo";
import { type S3Local, startS3Local } from "@classroom/local-services/s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalBus, startLocalBus } from "./event-bus.ts";
import { type StreamPoller, startStreamPoller } from "./stream-poller.ts";

export interface StackOptions {
  /** Keep DynamoDB, Cognito and S3 data here; throwaway (in memory / temp dir) when omitted. */
  dataDir?: string;
  apiPort?: number;
  dynamoPort?: number;
  cognitoPort?: number;
  s3Port?: number;
  tableName?: string;
  /** The files bucket (default `classroom-files`). */
  filesBucket?: string;
  /** Origins the files bucket accepts browser uploads from (default: any page served from this machine). */
  webOrigins?: string[];
  /** Run the stream consumer (audit and statistics) in this process; default true. */
  streams?: boolean;
}

export interface Stack {
  apiUrl: string;
  dynamoEndpoint: string;
  cognitoEndpoint: string;
  s3Endpoint: string;
  filesBucket: string;
  tableName: string;
  pool: Pool;
  /** Feeds the table's stream to the stream Lambda's handler (audit trail and statistics); absent with `streams: false`. */
  streams: StreamPoller | undefined;
  /** The local EventBridge bus the stream consumer publishes to (with the notifier behind it); absent with `streams: false`. */
  bus: LocalBus | undefined;
  /** The environment the API runs with (also set on this process). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const throwaway = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), "classroom-"));
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const dynamo: DynamoLocal = await startDynamoLocal({
      ...(options.dataDir ? { dataDir: join(options.dataDir, "dynamodb") } : {}),
      ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
    });
    started.push(dynamo);
    const cognito: CognitoLocal = await startCognitoLocal({
      dataDir: join(options.dataDir ?? throwaway!, "cognito"),
      ...(options.cognitoPort ? { port: options.cognitoPort } : {}),
    });
    started.push(cognito);
    const pool = await ensurePool(cognito.endpoint);
    const filesBucket = options.filesBucket ?? "classroom-files";
    const s3: S3Local = await startS3Local({
      dataDir: join(options.dataDir ?? throwaway!, "s3"),
      buckets: [filesBucket],
      corsOrigins: options.webOrigins ?? ["http://127.0.0.1:*", "http://localhost:*"],
      ...(options.s3Port ? { port: options.s3Port } : {}),
    });
    started.push(s3);
    const tableName = options.tableName ?? "classroom";
    const { env, streams, bus, api } = await serveApi({
      dynamoEndpoint: dynamo.endpoint,
      cognitoEndpoint: cognito.endpoint,
      pool,
      tableName,
      files: { endpoint: s3.endpoint, bucket: filesBucket },
      streams: options.streams ?? true,
      ...(options.apiPort ? { apiPort: options.apiPort } : {}),
    });
    if (bus) started.push(bus);
    if (streams) started.push(streams);
    started.push({ stop: api.close });
    return {
      apiUrl: api.url,
      dynamoEndpoint: dynamo.endpoint,
      cognitoEndpoint: cognito.endpoint,
      s3Endpoint: s3.endpoint,
      filesBucket,
      tableName,
      pool,
      streams,
      bus,
      env,
      async stop() {
        for (const part of started.reverse()) await part.stop();
        if (throwaway) rmSync(throwaway, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    if (throwaway) rmSync(throwaway, { recursive: true, force: true });
    throw error;
  }
}

export interface ServeOptions {
  dynamoEndpoint: string;
  cognitoEndpoint: string;
  pool: Pool;
  tableName: string;
  /** The files bucket and the S3-compatible endpoint serving it; without them the file routes fail. */
  files?: { endpoint: string; bucket: string };
  apiPort?: number;
  /** Start the stream poller (default true). On AWS the stream consumer is a Lambda of its own. */
  streams?: boolean;
  streamIntervalMs?: number;
}

/**
 * The stream Lambda's side of the stack: the local event bus with the notifier behind it, and
 * the stream poller feeding the table's stream to the stream handler, which publishes to that
 * bus. Sets the bus's environment on this process (the stream handler reads it) and answers
 * it, for the API's environment. On AWS this is a Lambda of its own; the bench runs it in a
 * process of its own for the same reason.
 */
export async function startStreamWorker(options: {
  dynamoEndpoint: string;
  tableName: string;
  intervalMs?: number;
  from?: "start" | "now";
}): Promise<{ env: Record<string, string>; streams: StreamPoller; bus: LocalBus }> {
  const bus = await startLocalBus({ target: (event) => notifier(event as never) });
  const env = { [EVENT_BUS_ENV]: bus.busName, [EVENTBRIDGE_ENDPOINT_ENV]: bus.endpoint };
  Object.assign(process.env, env);
  const streams = startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    handler: streamHandler,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
    ...(options.from ? { from: options.from } : {}),
  });
  return { env, streams, bus };
}

/**
 * Wires the API and the stream handler to a DynamoDB and a Cognito pool through the same
 * environment variables the infra sets on Lambda, creates the table, and starts the stream
 * worker (unless `streams: false`) and the HTTP server. The caller stops `streams`, `bus` and
 * `api`.
 */
export async function serveApi(
  options: ServeOptions,
): Promise<{ env: Record<string, string>; streams: StreamPoller | undefined; bus: LocalBus | undefined; api: RunningServer }> {
  const env: Record<string, string> = {
    [ENDPOINT_ENV]: options.dynamoEndpoint,
    [TABLE_ENV]: options.tableName,
    AUTH_ISSUER: options.pool.issuer,
    AUTH_CLIENT_ID: options.pool.clientId,
    AUTH_JWKS_URI: options.pool.jwksUri,
    COGNITO_ENDPOINT: options.cognitoEndpoint,
    ...(options.files ? { [FILES_BUCKET_ENV]: options.files.bucket, [S3_ENDPOINT_ENV]: options.files.endpoint } : {}),
  };
  Object.assign(process.env, env);
  await ensureTable(options.tableName);
  const worker =
    options.streams === false
      ? undefined
      : await startStreamWorker({
          dynamoEndpoint: options.dynamoEndpoint,
          tableName: options.tableName,
          ...(options.streamIntervalMs ? { intervalMs: options.streamIntervalMs } : {}),
        });
  if (worker) Object.assign(env, worker.env);
  try {
    const api = await startServer(options.apiPort ? { port: options.apiPort } : {});
    return { env, streams: worker?.streams, bus: worker?.bus, api };
  } catch (error) {
    await worker?.streams.stop();
    await worker?.bus.stop();
    throw error;
  }
}
