import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { captureApiLogs } from "../src/api-logs.ts";
import { type Stack, startStack } from "../src/stack.ts";

let stack: Stack | undefined;

export default async function setup(project: TestProject) {
  // The API serves from this process: its log lines go to a file each test file checks (setup.ts).
  const logDir = mkdtempSync(join(tmpdir(), "classroom-api-log-"));
  const logs = captureApiLogs({ file: join(logDir, "api.jsonl") });
  stack = await startStack({ tableName: "classroom-test" });
  project.provide("stack", {
    apiUrl: stack.apiUrl,
    cognitoEndpoint: stack.cognitoEndpoint,
    pool: stack.pool,
    env: stack.env,
  });
  project.provide("apiLog", join(logDir, "api.jsonl"));
  return async () => {
    await stack?.stop();
    logs.stop();
    console.log(logs.summary());
    rmSync(logDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      apiUrl: string;
      cognitoEndpoint: string;
      pool: { userPoolId: string; clientId: string; issuer: string; jwksUri: string };
      env: Record<string, string>;
    };
    /** The file the API's captured log lines go to (see src/api-logs.ts). */
    apiLog: string;
  }
}
