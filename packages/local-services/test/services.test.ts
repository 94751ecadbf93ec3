import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CognitoLocalError, ensurePool, ensureUser, signIn, startCognitoLocal } from "../src/cognito.ts";
import { DynamoLocalError, localClient, startDynamoLocal } from "../src/dynamo.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "local-services-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Holds a port open, as another program would. */
function occupy(): Promise<{ port: number; release: () => void }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ port, release: () => server.close() });
    });
  });
}

describe("DynamoDB Local", () => {
  it("starts on a free port, answers, and stops", async () => {
    const dynamo = await startDynamoLocal();
    const client = localClient(dynamo.endpoint);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    await dynamo.stop();
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    client.destroy();
  });

  it("says clearly when its port is taken", async () => {
    const held = await occupy();
    await expect(startDynamoLocal({ port: held.port })).rejects.toThrow(DynamoLocalError);
    await expect(startDynamoLocal({ port: held.port })).rejects.toThrow(`Port ${held.port} is already in use`);
    held.release();
  });
});

describe("local Cognito", () => {
  it("creates a pool and a user, and signs in with real RS256 tokens for that client", async () => {
    const cognito = await startCognitoLocal({ dataDir: tempDir() });
    try {
      const pool = await ensurePool(cognito.endpoint);
      expect(await ensurePool(cognito.endpoint)).toEqual(pool); // found again, not duplicated
      const sub = await ensureUser(cognito.endpoint, pool, { email: "ada@school.test", password: "Analytical-1", name: "Ada" });
      const tokens = await signIn(cognito.endpoint, pool, "ada@school.test", "Analytical-1");
      const [header, payload] = tokens.accessToken.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
      expect(header.alg).toBe("RS256");
      expect(payload).toMatchObject({ sub, token_use: "access", client_id: pool.clientId, iss: pool.issuer });
      const jwks = (await (await fetch(pool.jwksUri)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
      await expect(signIn(cognito.endpoint, pool, "ada@school.test", "wrong")).rejects.toThrow();
    } finally {
      await cognito.stop();
    }
  });

  it("says clearly when its port is taken", async () => {
    const held = await occupy();
    await expect(startCognitoLocal({ dataDir: tempDir(), port: held.port })).rejects.toThrow(CognitoLocalError);
    held.release();
  });
});
