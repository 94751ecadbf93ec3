/**
 * The security suite's own stack: the usual local stack, except that the API fetches the
 * pool's JWKS through a counting proxy (AUTH_JWKS_URI, the same setting the infra uses).
 * The API reads its auth configuration on the first authenticated request, so setting the
 * variable right after start-up and before any request is enough.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { captureApiLogs } from "../../src/api-logs.ts";
import { type Stack, startStack } from "../../src/stack.ts";
import { type JwksProxy, startJwksProxy } from "./jwks-proxy.ts";

let stack: Stack | undefined;
let proxy: JwksProxy | undefined;

export default async function setup(project: TestProject) {
  // Attacks make the API log errors on purpose (a JWKS that is down, ...): kept out of the
  // output in a file each test file checks for unexpected ones (../setup.ts).
  const logDir = mkdtempSync(join(tmpdir(), "classroom-api-log-"));
  const logs = captureApiLogs({ file: join(logDir, "api.jsonl") });
  stack = await startStack({ tableName: "classroom-security" });
  proxy = await startJwksProxy(stack.cognitoEndpoint);
  const jwksUri = stack.pool.jwksUri.replace(stack.cognitoEndpoint, proxy.url);
  process.env.AUTH_JWKS_URI = jwksUri;
  const env = { ...stack.env, AUTH_JWKS_URI: jwksUri };
  project.provide("stack", {
    apiUrl: stack.apiUrl,
    cognitoEndpoint: stack.cognitoEndpoint,
    pool: { ...stack.pool, jwksUri },
    env,
  });
  project.provide("jwksProxy", proxy.url);
  project.provide("apiLog", join(logDir, "api.jsonl"));
  return async () => {
    await proxy?.stop();
    await stack?.stop();
    logs.stop();
    console.log(logs.summary());
    rmSync(logDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    jwksProxy: string;
  }
}
