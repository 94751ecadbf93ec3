/**
 * The end-to-end world, started once for the e2e project: the real local stack in this process
 * (DynamoDB Local, the local Cognito pool, the API on free ports), the demo data, and the web
 * app built with the stack's URLs and served by `vite preview`. Nothing is mocked.
 */
import { type Stack, startStack } from "@classroom/local";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview, type PreviewServer } from "vite";
import type { TestProject } from "vitest/node";
import { seedDemo } from "@classroom/local/seed";
import { createFixtures } from "./fixtures.ts";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  let stack: Stack | undefined;
  let server: PreviewServer | undefined;
  const outDir = mkdtempSync(join(tmpdir(), "classroom-web-"));
  const teardown = async () => {
    await server?.close();
    await stack?.stop();
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({ tableName: "classroom-web-e2e" });
    const demo = await seedDemo(stack.cognitoEndpoint, stack.pool);
    const fixtures = await createFixtures(stack.cognitoEndpoint, stack.pool, demo);

    process.env.VITE_API_URL = stack.apiUrl;
    process.env.VITE_COGNITO_ENDPOINT = stack.cognitoEndpoint;
    process.env.VITE_COGNITO_CLIENT_ID = stack.pool.clientId;
    // vitest sets NODE_ENV=test, which would bundle React's development build; test what ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({ root: webDir, mode: "production", logLevel: "warn", build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    server = await preview({
      root: webDir,
      logLevel: "warn",
      build: { outDir },
      preview: { host: "127.0.0.1", port: await freePort(), strictPort: true, open: false },
    });
    const webUrl = server.resolvedUrls?.local[0];
    if (!webUrl) throw new Error("vite preview did not report a URL");

    project.provide("e2e", { webUrl, apiUrl: stack.apiUrl, demo, fixtures });
    console.log(`e2e stack ready in ${Date.now() - started} ms: web ${webUrl}, api ${stack.apiUrl}`);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
