/**
 * A local stack that can be broken on purpose, started inside the test's own worker:
 * DynamoDB Local keeps its data in a folder (so it can be stopped and started again on the
 * same port without losing anything), and every DynamoDB connection of the API and of the
 * stream poller goes through a TCP proxy that can freeze traffic (a network partition or a
 * stalled database: connections stay open, no byte moves) or cut a connection once DynamoDB
 * has answered a given operation (it did the work; the caller never hears of it).
 *
 * The local S3 (s3rver) keeps its objects in a folder too and can be stopped and started on
 * its port; the API reaches it through an HTTP proxy that can fail chosen requests (S3 dying
 * half way through a multi-step call). The local event bus is the stack's own, with the
 * retry schedule the test asks for, and its target (the notifier Lambda's handler) can be
 * taken down: invocations fail as a crashed or unreachable Lambda does, and the bus retries
 * them on its schedule, then dead-letters them.
 *
 * Wired by the same `serveApi()` as `startStack()` (the API and its table) and the same
 * stream poller, bus and notifier; only the endpoints are proxies.
 */
import { EVENTBRIDGE_ENDPOINT_ENV, EVENT_BUS_ENV } from "@classroom/api/events/publisher";
import { handler as notifier } from "@classroom/api/lambda/notifier";
import { handler as streamHandler } from "@classroom/api/lambda/stream";
import { ensurePool, ensureUser, signIn, startCognitoLocal, type Pool } from "@classroom/local-services/cognito";
import { freePort, startDynamoLocal, type DynamoLocal } from "@classroom/local-services/dynamo";
import { type S3Local, startS3Local } from "@classroom/local-services/s3";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { type IncomingMessage, createServer as createHttpServer, request as httpRequest } from "node:http";
import { createConnection, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiLogCapture, captureApiLogs } from "../../src/api-logs.ts";
import { type BusEvent, type LocalBus, startLocalBus } from "../../src/event-bus.ts";
import { serveApi } from "../../src/stack.ts";
import { type StreamPoller, startStreamPoller } from "../../src/stream-poller.ts";

export interface FaultStack {
  apiUrl: string;
  env: Record<string, string>;
  pool: Pool;
  cognitoEndpoint: string;
  streams: StreamPoller;
  bus: LocalBus;
  /** The files bucket and the local S3 itself (not the proxy), for reading what is stored. */
  filesBucket: string;
  s3Endpoint: string;
  /** The API's log lines, kept out of the test output (the test asserts on them). */
  logs: ApiLogCapture;
  stopDynamo(): Promise<void>;
  startDynamo(): Promise<void>;
  freeze(): void;
  thaw(): void;
  /**
   * While set, a connection that sent a request naming this DynamoDB operation (e.g.
   * `TransactWriteItems`) is cut as soon as DynamoDB starts answering it: the operation was
   * carried out, and the caller sees a reset connection instead of the answer.
   */
  loseAnswersTo(operation: string | undefined): void;
  stopS3(): Promise<void>;
  startS3(): Promise<void>;
  /** While set, S3 requests this predicate picks are cut before they reach S3 (the rest pass). */
  failS3(pick: ((request: IncomingMessage) => boolean) | undefined): void;
  /** Takes the notifier down (every invocation fails at once) or brings it back. */
  notifierDown(down: boolean): void;
  /** Every invocation of the notifier by the bus, in order: the event and whether it failed. */
  invocations: Array<{ event: BusEvent; failed: boolean }>;
  stop(): Promise<void>;
}

interface TcpProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  loseAnswersTo(operation: string | undefined): void;
  stop(): Promise<void>;
}

function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let frozen = false;
  let losing: string | undefined;
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host: "127.0.0.1" });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // An SDK request names its operation in the `X-Amz-Target` header, in its first chunk.
    let doomed = false;
    client.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      if (/x-amz-target:/i.test(text)) doomed = losing !== undefined && text.includes(`DynamoDB_20120810.${losing}`);
    });
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (!doomed) return void client.write(chunk);
      client.destroy();
      upstream.destroy();
    });
    if (frozen) pair.forEach((s) => s.pause());
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        freeze() {
          frozen = true;
          for (const pair of pairs) pair.forEach((s) => s.pause());
        },
        thaw() {
          frozen = false;
          for (const pair of pairs) pair.forEach((s) => s.resume());
        },
        loseAnswersTo(operation) {
          losing = operation;
        },
        stop: () =>
          new Promise((done) => {
            for (const pair of pairs) pair.forEach((s) => s.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}

interface HttpProxy {
  endpoint: string;
  fail(pick: ((request: IncomingMessage) => boolean) | undefined): void;
  stop(): Promise<void>;
}

/** An HTTP proxy to the local S3: forwards every request as it is, except those `fail` picks, whose connection is cut. */
function startHttpProxy(targetPort: number): Promise<HttpProxy> {
  let picked: ((request: IncomingMessage) => boolean) | undefined;
  const server = createHttpServer((incoming, outgoing) => {
    if (picked?.(incoming)) return void incoming.socket.destroy();
    const upstream = httpRequest({ host: "127.0.0.1", port: targetPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    // S3 itself unreachable: the caller sees its connection cut, as it would without the proxy.
    upstream.on("error", () => incoming.socket.destroy());
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        endpoint: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
        fail(pick) {
          picked = pick;
        },
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface FaultStackOptions {
  /**
   * The bus's waits before retrying a failed notifier invocation (default: the local bus's
   * own, 200 ms then 1 s). Lambda retries an asynchronous invocation after about 1 and then
   * 2 more minutes before dead-lettering it.
   */
  notifierRetryDelaysMs?: number[];
}

export async function startFaultStack(tableName = "classroom-faults", options: FaultStackOptions = {}): Promise<FaultStack> {
  const logs = captureApiLogs();
  const dir = mkdtempSync(join(tmpdir(), "classroom-faults-"));
  const dataDir = join(dir, "dynamodb");
  const port = await freePort();
  let dynamo: DynamoLocal = await startDynamoLocal({ port, dataDir });
  const proxy = await startTcpProxy(port);
  const cognito = await startCognitoLocal({ dataDir: join(dir, "cognito") });
  const pool = await ensurePool(cognito.endpoint);
  const filesBucket = "classroom-files";
  const s3Options = { dataDir: join(dir, "s3"), buckets: [filesBucket], port: await freePort() };
  let s3: S3Local | undefined = await startS3Local(s3Options);
  const s3Proxy = await startHttpProxy(s3.port);

  let down = false;
  const invocations: FaultStack["invocations"] = [];
  const bus = await startLocalBus({
    ...(options.notifierRetryDelaysMs ? { retryDelaysMs: options.notifierRetryDelaysMs } : {}),
    target: async (event) => {
      invocations.push({ event, failed: down });
      if (down) throw new Error("notifier unavailable");
      return notifier(event as never);
    },
  });
  const dynamoEndpoint = `http://127.0.0.1:${proxy.port}`;
  // The API and the table as `serveApi` wires them; the stream poller and the bus as it does, but the bus is this stack's.
  const { env, api } = await serveApi({
    dynamoEndpoint,
    cognitoEndpoint: cognito.endpoint,
    pool,
    tableName,
    files: { endpoint: s3Proxy.endpoint, bucket: filesBucket },
    streams: false,
  });
  const busEnv = { [EVENT_BUS_ENV]: bus.busName, [EVENTBRIDGE_ENDPOINT_ENV]: bus.endpoint };
  Object.assign(env, busEnv);
  Object.assign(process.env, busEnv);
  const streams = startStreamPoller({ endpoint: dynamoEndpoint, tableName, handler: streamHandler, intervalMs: 200 });
  return {
    apiUrl: api.url,
    env,
    pool,
    cognitoEndpoint: cognito.endpoint,
    streams,
    bus,
    filesBucket,
    s3Endpoint: `http://127.0.0.1:${s3Options.port}`,
    logs,
    stopDynamo: () => dynamo.stop(),
    async startDynamo() {
      dynamo = await startDynamoLocal({ port, dataDir });
    },
    freeze: proxy.freeze,
    thaw: proxy.thaw,
    loseAnswersTo: proxy.loseAnswersTo,
    async stopS3() {
      await s3?.stop();
      s3 = undefined;
    },
    async startS3() {
      s3 ??= await startS3Local(s3Options);
    },
    failS3: s3Proxy.fail,
    notifierDown(value) {
      down = value;
    },
    invocations,
    async stop() {
      proxy.thaw();
      proxy.loseAnswersTo(undefined);
      await api.close();
      await streams.stop();
      await bus.stop();
      await proxy.stop();
      await s3Proxy.stop();
      await s3?.stop();
      await dynamo.stop();
      await cognito.stop();
      logs.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Person {
  sub: string;
  email: string;
  name: string;
  token: string;
}

export async function person(stack: FaultStack, name = "Person"): Promise<Person> {
  const email = `${randomUUID().slice(0, 12)}@school.test`;
  const sub = await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password: "Correct-Horse-9", name });
  const tokens = await signIn(stack.cognitoEndpoint, stack.pool, email, "Correct-Horse-9");
  return { sub, email, name, token: tokens.accessToken };
}

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** One HTTP call with a hard client-side deadline: a request still open after it counts as hung (status 0). */
export async function request(stack: FaultStack, method: string, path: string, token: string, body?: unknown, deadlineMs = 20_000): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(deadlineMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // kept as text
    }
    return { status: response.status, body: parsed, ms: Date.now() - started };
  } catch {
    return { status: 0, body: "hung or connection failed", ms: Date.now() - started };
  }
}

/** A class made by a fresh teacher, with fresh students (who have signed in once). */
export async function classWith(stack: FaultStack, students: number) {
  const teacher = await person(stack, "Teacher");
  const created = await request(stack, "POST", "/classes", teacher.token, { name: "Faults" });
  if (created.status !== 201) throw new Error(`class not created: ${JSON.stringify(created.body)}`);
  const people: Person[] = [];
  for (let i = 0; i < students; i++) {
    const student = await person(stack, `Student ${i}`);
    await request(stack, "GET", "/classes", student.token);
    const added = await request(stack, "POST", `/classes/${created.body.class_id}/members`, teacher.token, { email: student.email, role: "student" });
    if (added.status !== 201) throw new Error(`member not added: ${JSON.stringify(added.body)}`);
    people.push(student);
  }
  return { class_id: created.body.class_id as string, teacher, students: people };
}
