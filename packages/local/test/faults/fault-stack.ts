/**
 * A local stack that can be broken on purpose, started inside the test's own worker:
 * DynamoDB Local keeps its data in a folder (so it can be stopped and started again on the
 * same port without losing anything), and every DynamoDB connection of the API and of the
 * stream poller goes through a TCP proxy that can freeze traffic (a network partition or a
 * stalled database: connections stay open, no byte moves).
 *
 * Wired by the same `serveApi()` as `startStack()`; only the DynamoDB endpoint is the proxy
 * and the DynamoDB Local process is exposed for stop/start.
 */
import { ensurePool, ensureUser, signIn, startCognitoLocal, type Pool } from "@classroom/local-services/cognito";
import { freePort, startDynamoLocal, type DynamoLocal } from "@classroom/local-services/dynamo";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiLogCapture, captureApiLogs } from "../../src/api-logs.ts";
import { serveApi } from "../../src/stack.ts";
import type { StreamPoller } from "../../src/stream-poller.ts";

export interface FaultStack {
  apiUrl: string;
  env: Record<string, string>;
  pool: Pool;
  cognitoEndpoint: string;
  streams: StreamPoller;
  /** The API's log lines, kept out of the test output (the test asserts on them). */
  logs: ApiLogCapture;
  stopDynamo(): Promise<void>;
  startDynamo(): Promise<void>;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

interface TcpProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host: "127.0.0.1" });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
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
        stop: () =>
          new Promise((done) => {
            for (const pair of pairs) pair.forEach((s) => s.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}

export async function startFaultStack(tableName = "classroom-faults"): Promise<FaultStack> {
  const logs = captureApiLogs();
  const dir = mkdtempSync(join(tmpdir(), "classroom-faults-"));
  const dataDir = join(dir, "dynamodb");
  const port = await freePort();
  let dynamo: DynamoLocal = await startDynamoLocal({ port, dataDir });
  const proxy = await startTcpProxy(port);
  const cognito = await startCognitoLocal({ dataDir: join(dir, "cognito") });
  const pool = await ensurePool(cognito.endpoint);
  const { env, streams: poller, bus, api } = await serveApi({
    dynamoEndpoint: `http://127.0.0.1:${proxy.port}`,
    cognitoEndpoint: cognito.endpoint,
    pool,
    tableName,
    streamIntervalMs: 200,
  });
  const streams = poller!;
  return {
    apiUrl: api.url,
    env,
    pool,
    cognitoEndpoint: cognito.endpoint,
    streams,
    logs,
    stopDynamo: () => dynamo.stop(),
    async startDynamo() {
      dynamo = await startDynamoLocal({ port, dataDir });
    },
    freeze: proxy.freeze,
    thaw: proxy.thaw,
    async stop() {
      proxy.thaw();
      await api.close();
      await streams.stop();
      await bus?.stop();
      await proxy.stop();
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
  token: string;
}

export async function person(stack: FaultStack, name = "Person"): Promise<Person> {
  const email = `${randomUUID().slice(0, 12)}@school.test`;
  const sub = await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password: "Correct-Horse-9", name });
  const tokens = await signIn(stack.cognitoEndpoint, stack.pool, email, "Correct-Horse-9");
  return { sub, email, token: tokens.accessToken };
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
