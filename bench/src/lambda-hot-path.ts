/**
 * The two hot-path parts of `pnpm bench` on their own, for before/after comparisons of one change:
 *   pnpm --filter @classroom/bench exec tsx src/lambda-hot-path.ts cold [runs] [--cpu-prof]
 *   pnpm --filter @classroom/bench exec tsx src/lambda-hot-path.ts overhead [rounds] [perRound] [--cpu-prof]
 * `cold` is the Lambda bundle and cold start (lambda.ts), `overhead` the endpoints against the same
 * DynamoDB calls (baseline.ts). The stack runs in a child process as in `pnpm bench`; with
 * `--cpu-prof`, `overhead` has that process write a V8 CPU profile (bench/results/profiles/) when
 * it stops, and `cold` has each cold-start process of the API write one there.
 * Prints JSON; writes nothing else.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { overheads } from "./baseline.ts";
import { Api } from "./http.ts";
import { lambda } from "./lambda.ts";
import { type StackInfo, makeClass, makeUsers } from "./world.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const profileDir = join(root, "bench/results/profiles");
const [part = "cold", ...rest] = process.argv.slice(2);
const numbers = rest.filter((a) => /^\d+$/.test(a)).map(Number);
const profile = rest.includes("--cpu-prof");

async function startStack(): Promise<{ stack: StackInfo; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [...(profile && part === "overhead" ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []), "--import", "tsx", join(root, "bench/src/server.ts")],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "ERROR" } },
  );
  const lines = createInterface({ input: child.stdout! });
  const stack = await new Promise<StackInfo>((done, fail) => {
    child.once("exit", (code) => fail(new Error(`the stack exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("{")) done(JSON.parse(line) as StackInfo);
    });
  });
  return {
    stack,
    stop: () =>
      new Promise((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

if (profile) mkdirSync(profileDir, { recursive: true });
const { stack, stop } = await startStack();
Object.assign(process.env, stack.env);
try {
  if (part === "cold") {
    const [probe] = await makeUsers(stack, 1);
    const class_id = await makeClass(probe!, [], "Cold start");
    console.log(JSON.stringify(await lambda(stack, probe!.token, class_id, numbers[0] ?? 7, profile ? profileDir : undefined), null, 2));
  } else if (part === "overhead") {
    const results = await overheads(new Api(stack.apiUrl), stack, numbers[0] ?? 4, numbers[1] ?? 40);
    console.log(JSON.stringify(results.map(({ endpoint, baseline, trpcBaseline, rest: r, trpc, rest_p50, trpc_p50 }) => ({ endpoint, sdk: baseline.p50, ...(trpcBaseline ? { trpcSdk: trpcBaseline.p50 } : {}), rest: r.p50, trpc: trpc.p50, rest_p50, trpc_p50 }))));
  } else {
    throw new Error(`unknown part "${part}": cold or overhead`);
  }
} finally {
  await stop();
}
