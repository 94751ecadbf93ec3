/**
 * The API's Lambda as it deploys: bundled with esbuild (ESM, minified, tree-shaken, AWS SDK
 * included). Cold start = a fresh Node process that loads the bundle and answers its first
 * request against the local stack, beside a baseline handler that only does one GetItem.
 */
import { type BuildOptions, build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, round } from "./stats.ts";
import type { StackInfo } from "./world.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Bundles as the infra deploys the function (infra/api.ts: esbuild, ESM, minified, code splitting):
 * what the handler imports with `import()` lands in chunks of its own, read only when first used.
 */
export const lambdaBuildOptions = {
  bundle: true,
  minify: true,
  treeShaking: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  mainFields: ["module", "main"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "silent",
} satisfies BuildOptions;

interface Bundle {
  /** The entry file, to import. */
  entry: string;
  /** Every file written (entry and chunks): the deployed code. */
  bytes: number;
  /** The entry, what it imports with a top-level `await import()`, and the chunks they import statically: what a cold start reads. */
  loadedBytes: number;
}

/** `initImports`: source files the entry imports with a top-level `await import()` (read at start as well). */
async function bundle(entry: string, outdir: string, initImports: string[] = []): Promise<Bundle> {
  const { metafile } = await build({ ...lambdaBuildOptions, entryPoints: [entry], outdir, outExtension: { ".js": ".mjs" }, metafile: true });
  const outputs = metafile!.outputs;
  // Each `import()` target is an entry point of its own in the metafile: the handler's is the one named after it.
  const entryOut = Object.keys(outputs).find((file) => resolve(file) === join(outdir, `${basename(entry, ".ts")}.mjs`))!;
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === "import-statement" && outputs[imported.path]) visit(imported.path);
  };
  visit(entryOut);
  // Modules the entry imports with a top-level `await import()` are read at start too.
  for (const [file, output] of Object.entries(outputs)) if (output.entryPoint && initImports.includes(resolve(output.entryPoint))) visit(file);
  const size = (file: string) => statSync(resolve(file)).size;
  return {
    entry: resolve(entryOut),
    bytes: Object.keys(outputs).filter((file) => file.endsWith(".mjs")).reduce((sum, file) => sum + size(file), 0),
    loadedBytes: [...loaded].reduce((sum, file) => sum + size(file), 0),
  };
}

interface ColdRun {
  /** From process start to the first response. */
  ms: number;
  /** From process start to the bundle being loaded. */
  loadMs: number;
  /** CPU time (user + system) the process had used by the first response. */
  cpuMs: number;
  /** After the first response, `WARM_REQUESTS` more, one at a time: the median time and the mean CPU time of one. */
  warmMs: number;
  warmCpuMs: number;
}

const WARM_REQUESTS = 200;

/** A fresh Node process loads the bundle, answers `event` once (cold), then `warmEvent` repeatedly (warm). */
function coldStart(bundlePath: string, event: unknown, warmEvent: unknown, env: Record<string, string>, execArgv: string[] = []): Promise<ColdRun> {
  const dir = dirname(bundlePath);
  const runner = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    runner,
    `const { handler } = await import(${JSON.stringify(bundlePath)});
const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const context = { awsRequestId: "cold", functionName: "bench" };
const loaded = performance.now();
const result = await handler(${JSON.stringify(event)}, context);
const ms = performance.now();
const cpuMs = cpu();
const warmEvent = ${JSON.stringify(warmEvent)};
const times = [];
for (let i = 0; i < ${WARM_REQUESTS}; i++) {
  const began = performance.now();
  const warm = await handler(warmEvent, context);
  if (warm.statusCode !== 200) throw new Error("warm request answered " + warm.statusCode);
  times.push(performance.now() - began);
}
const warmCpuMs = (cpu() - cpuMs) / ${WARM_REQUESTS};
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ status: result.statusCode, ms, loadMs: loaded, cpuMs, warmMs: times[times.length >> 1], warmCpuMs }));`,
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...execArgv, runner], { env: { ...process.env, ...env, LOG_LEVEL: "ERROR" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (err += c));
    child.on("exit", () => {
      try {
        const { status, ...run } = JSON.parse(out) as ColdRun & { status: number };
        if (status !== 200) return reject(new Error(`cold start answered ${status}`));
        resolvePromise(run);
      } catch {
        reject(new Error(`cold start failed: ${err.slice(-500)}`));
      }
    });
  });
}

export interface LambdaResult {
  /** Every file of the function's code (entry and chunks). */
  bundleBytes: number;
  /** What a cold start reads: the entry and the chunks it imports statically. */
  loadedBytes: number;
  baselineBundleBytes: number;
  baselineLoadedBytes: number;
  coldStartMs: number;
  /** Of the cold start: loading (parsing and evaluating) the bundle. */
  loadMs: number;
  /** CPU time of the cold start (process start to first response). */
  cpuMs: number;
  /** A warm idle poll (REST, nothing new): median time and CPU time per request in the same process. */
  warmMs: number;
  warmCpuMs: number;
  baselineColdStartMs: number;
  baselineLoadMs: number;
  baselineCpuMs: number;
  /** A warm GetItem through the baseline handler. */
  baselineWarmMs: number;
  baselineWarmCpuMs: number;
  ratio: number;
  runs: number;
}

/**
 * `profileDir`: the API's cold-start processes write V8 CPU profiles there (the warm requests
 * included), sampled every 100 µs.
 */
export async function lambda(stack: StackInfo, token: string, class_id: string, runs = 7, profileDir?: string): Promise<LambdaResult> {
  const dir = mkdtempSync(join(tmpdir(), "classroom-lambda-"));
  try {
    return await measureBundles(dir, stack, token, class_id, runs, profileDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureBundles(dir: string, stack: StackInfo, token: string, class_id: string, runs: number, profileDir: string | undefined): Promise<LambdaResult> {
  const apiBundle = await bundle(join(root, "packages/api/src/lambda/http.ts"), join(dir, "api"), [join(root, "packages/api/src/app.ts")]);
  const baseBundle = await bundle(join(root, "bench/src/lambda-baseline.ts"), join(dir, "baseline"));
  const [api, base] = [apiBundle.entry, baseBundle.entry];
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: `/chat/messages/${class_id}`,
    rawQueryString: "limit=50",
    headers: { authorization: `Bearer ${token}` },
    requestContext: { domainName: "bench.local", http: { method: "GET", path: `/chat/messages/${class_id}` } },
    isBase64Encoded: false,
  };
  // Warm: the most frequent request, an idle poll (REST, nothing newer than the timestamp).
  const warmEvent = { ...event, rawQueryString: "lastMessageTimestamp=2100-01-01T00:00:00.000Z" };
  const env = { ...stack.env, AWS_REGION: "local", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
  const apiRuns: ColdRun[] = [];
  const baseRuns: ColdRun[] = [];
  for (let i = 0; i < runs; i++) {
    apiRuns.push(await coldStart(api, event, warmEvent, env, profileDir ? ["--cpu-prof", "--cpu-prof-interval", "100", "--cpu-prof-dir", profileDir] : []));
    baseRuns.push(await coldStart(base, {}, {}, env));
  }
  const mid = (list: ColdRun[], key: keyof ColdRun, digits = 1) => round(median(list.map((run) => run[key])), digits);
  const coldStartMs = mid(apiRuns, "ms");
  const baselineColdStartMs = mid(baseRuns, "ms");
  return {
    bundleBytes: apiBundle.bytes,
    loadedBytes: apiBundle.loadedBytes,
    baselineBundleBytes: baseBundle.bytes,
    baselineLoadedBytes: baseBundle.loadedBytes,
    coldStartMs,
    loadMs: mid(apiRuns, "loadMs"),
    cpuMs: mid(apiRuns, "cpuMs"),
    warmMs: mid(apiRuns, "warmMs", 2),
    warmCpuMs: mid(apiRuns, "warmCpuMs", 3),
    baselineColdStartMs,
    baselineLoadMs: mid(baseRuns, "loadMs"),
    baselineCpuMs: mid(baseRuns, "cpuMs"),
    baselineWarmMs: mid(baseRuns, "warmMs", 2),
    baselineWarmCpuMs: mid(baseRuns, "warmCpuMs", 3),
    ratio: round(coldStartMs / baselineColdStartMs),
    runs,
  };
}
