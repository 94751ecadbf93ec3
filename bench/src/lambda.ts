/**
 * The API's Lambda as it deploys: bundled with esbuild (ESM, minified, tree-shaken, AWS SDK
 * included). Cold start = a fresh Node process that loads the bundle and answers its first
 * request against the local stack, beside a baseline handler that only does one GetItem.
 */
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, round } from "./stats.ts";
import type { StackInfo } from "./world.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: "node",
    format: "esm",
    target: "node20",
    legalComments: "none",
    mainFields: ["module", "main"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "silent",
  });
  return statSync(outfile).size;
}

/** Milliseconds from process start to the first response, and to the bundle being loaded. */
function coldStart(bundlePath: string, event: unknown, env: Record<string, string>): Promise<{ ms: number; loadMs: number }> {
  const dir = dirname(bundlePath);
  const runner = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    runner,
    `const { handler } = await import(${JSON.stringify(bundlePath)});
const loaded = performance.now();
const result = await handler(${JSON.stringify(event)}, { awsRequestId: "cold", functionName: "bench" });
process.stdout.write(JSON.stringify({ status: result.statusCode, ms: performance.now(), loadMs: loaded }));`,
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [runner], { env: { ...process.env, ...env, LOG_LEVEL: "ERROR" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (err += c));
    child.on("exit", () => {
      try {
        const parsed = JSON.parse(out) as { status: number; ms: number; loadMs: number };
        if (parsed.status !== 200) return reject(new Error(`cold start answered ${parsed.status}`));
        resolvePromise({ ms: parsed.ms, loadMs: parsed.loadMs });
      } catch {
        reject(new Error(`cold start failed: ${err.slice(-500)}`));
      }
    });
  });
}

export interface LambdaResult {
  bundleBytes: number;
  baselineBundleBytes: number;
  coldStartMs: number;
  /** Of the cold start: loading (parsing and evaluating) the bundle. */
  loadMs: number;
  baselineColdStartMs: number;
  baselineLoadMs: number;
  ratio: number;
  runs: number;
}

export async function lambda(stack: StackInfo, token: string, class_id: string, runs = 7): Promise<LambdaResult> {
  const dir = mkdtempSync(join(tmpdir(), "classroom-lambda-"));
  const api = join(dir, "http.mjs");
  const base = join(dir, "baseline.mjs");
  const bundleBytes = await bundle(join(root, "packages/api/src/lambda/http.ts"), api);
  const baselineBundleBytes = await bundle(join(root, "bench/src/lambda-baseline.ts"), base);
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: `/chat/messages/${class_id}`,
    rawQueryString: "limit=50",
    headers: { authorization: `Bearer ${token}` },
    requestContext: { domainName: "bench.local", http: { method: "GET", path: `/chat/messages/${class_id}` } },
    isBase64Encoded: false,
  };
  const env = { ...stack.env, AWS_REGION: "local", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
  const apiTimes: Array<{ ms: number; loadMs: number }> = [];
  const baseTimes: Array<{ ms: number; loadMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    apiTimes.push(await coldStart(api, event, env));
    baseTimes.push(await coldStart(base, {}, env));
  }
  const coldStartMs = round(median(apiTimes.map((t) => t.ms)), 1);
  const baselineColdStartMs = round(median(baseTimes.map((t) => t.ms)), 1);
  return {
    bundleBytes,
    baselineBundleBytes,
    coldStartMs,
    loadMs: round(median(apiTimes.map((t) => t.loadMs)), 1),
    baselineColdStartMs,
    baselineLoadMs: round(median(baseTimes.map((t) => t.loadMs)), 1),
    ratio: round(coldStartMs / baselineColdStartMs),
    runs,
  };
}
