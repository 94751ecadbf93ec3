/**
 * A throwaway API for the packed client to talk to: DynamoDB Local, a local Cognito pool and
 * the API's HTTP server, configured through the environment variables the infra sets on
 * Lambda. This is the local stack (packages/local) without its stream poller, put together
 * from its parts here because packages/local already depends on this package for its own
 * tests, and a dependency back would be a workspace cycle (`pnpm -r` refuses to run those).
 */
import { startServer } from "@classroom/api/server";
import { ENDPOINT_ENV, TABLE_ENV } from "@classroom/core/table";
import { ensureTable } from "@classroom/core/table-admin";
import { ensurePool, startCognitoLocal } from "@classroom/local-services/cognito";
import { startDynamoLocal } from "@classroom/local-services/dynamo";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const cognitoDir = mkdtempSync(join(tmpdir(), "classroom-client-cognito-"));
  const stopping: Array<() => Promise<void>> = [async () => rmSync(cognitoDir, { recursive: true, force: true })];
  const teardown = async () => {
    for (const stop of stopping.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoLocal();
    stopping.push(dynamo.stop);
    const cognito = await startCognitoLocal({ dataDir: cognitoDir });
    stopping.push(cognito.stop);
    const pool = await ensurePool(cognito.endpoint);
    const tableName = "classroom-client-test";
    Object.assign(process.env, {
      [ENDPOINT_ENV]: dynamo.endpoint,
      [TABLE_ENV]: tableName,
      AUTH_ISSUER: pool.issuer,
      AUTH_CLIENT_ID: pool.clientId,
      AUTH_JWKS_URI: pool.jwksUri,
      COGNITO_ENDPOINT: cognito.endpoint,
    });
    await ensureTable(tableName);
    const api = await startServer();
    stopping.push(api.close);
    project.provide("stack", { apiUrl: api.url, cognitoEndpoint: cognito.endpoint, pool });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      apiUrl: string;
      cognitoEndpoint: string;
      pool: { userPoolId: string; clientId: string; issuer: string; jwksUri: string };
    };
  }
}
