/**
 * `pnpm test`: type-checks every package (side by side, each one's output shown when it
 * fails), then runs every package's `test` script, one package at a time (dependencies
 * first), all of them even when one fails, streaming their output. It ends with one line that
 * adds up every vitest run of every package:
 *
 *     1234 passed, 0 failed
 *     1230 passed, 4 failed; failed: @classroom/local (4 failed), typecheck (@classroom/web)
 *
 * and exits non-zero if the type-check, any test, or any test script failed. A package with
 * test files and no `test` script counts as failed, so no suite is silently left out.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");

interface Workspace {
  name: string;
  dir: string;
  scripts: Record<string, string>;
  dependsOn: string[];
}

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  /** vitest summaries seen in the output. */
  runs: number;
  exitCode: number;
  seconds: number;
  note?: string;
}

/** The workspace's packages (pnpm's own list), dependencies before their dependents. */
function workspaces(): Workspace[] {
  const listed = JSON.parse(execFileSync("pnpm", ["ls", "-r", "--depth", "-1", "--json"], { cwd: root, encoding: "utf8" })) as Array<{ name: string; path: string }>;
  const all = listed
    .filter((entry) => resolve(entry.path) !== root)
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(entry.path, "package.json"), "utf8"));
      const deps = { ...manifest.dependencies, ...manifest.devDependencies } as Record<string, string>;
      return { name: entry.name, dir: entry.path, scripts: manifest.scripts ?? {}, dependsOn: Object.keys(deps) };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
  const names = new Set(all.map((w) => w.name));
  const ordered: Workspace[] = [];
  const placed = new Set<string>();
  while (ordered.length < all.length) {
    const ready = all.filter((w) => !placed.has(w.name) && w.dependsOn.every((d) => !names.has(d) || placed.has(d)));
    // A dependency cycle: take the rest in path order rather than stop.
    for (const w of ready.length ? ready : all.filter((w) => !placed.has(w.name))) {
      ordered.push(w);
      placed.add(w.name);
    }
  }
  return ordered;
}

function hasTestFiles(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "dist") continue;
    if (entry.isDirectory() ? hasTestFiles(join(dir, entry.name)) : /\.test\.[cm]?[jt]sx?$/.test(entry.name)) return true;
  }
  return false;
}

const ANSI = /\x1b\[[0-9;]*m/g;
/** vitest's closing summary: " Tests  2 failed | 40 passed | 1 skipped (43)". */
const SUMMARY = /^\s*Tests\s+(\d+ \w+(?: \| \d+ \w+)*) \(\d+\)\s*$/;

/** Runs a command with its output streamed through, and counts what the vitest runs in it report. */
function run(name: string, command: string, args: string[], cwd: string): Promise<Outcome> {
  const started = Date.now();
  const outcome: Outcome = { name, passed: 0, failed: 0, skipped: 0, runs: 0, exitCode: 0, seconds: 0 };
  const env = { ...process.env, ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: "1" } : {}) };
  const child = spawn(command, args, { cwd, env, stdio: ["inherit", "pipe", "pipe"] });
  let pending = "";
  const scan = (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const match = SUMMARY.exec(line.replace(ANSI, ""));
      if (!match) continue;
      outcome.runs++;
      for (const [, count, kind] of match[1]!.matchAll(/(\d+) (\w+)/g)) {
        if (kind === "passed") outcome.passed += Number(count);
        else if (kind === "failed") outcome.failed += Number(count);
        else if (kind === "skipped" || kind === "todo") outcome.skipped += Number(count);
      }
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    scan(chunk.toString());
  });
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    scan(chunk.toString());
  });
  return new Promise((done) => {
    child.on("close", (code, signal) => {
      scan("\n");
      outcome.exitCode = code ?? (signal ? 128 : 1);
      outcome.seconds = Math.round((Date.now() - started) / 1000);
      done(outcome);
    });
  });
}

/** Runs a command with its output kept, for printing in one piece. */
function quietly(command: string, args: string[], cwd: string): Promise<{ code: number; output: string; seconds: number }> {
  const started = Date.now();
  const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => {
    child.on("close", (code, signal) => done({ code: code ?? (signal ? 128 : 1), output, seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

/** Every package's `typecheck` script and the scripts folder's own check, a few at a time; returns what failed. */
async function typecheck(all: Workspace[]): Promise<string[]> {
  const jobs = [
    ...all.filter((w) => w.scripts.typecheck).map((w) => ({ name: w.name, run: () => quietly("pnpm", ["run", "typecheck"], w.dir) })),
    { name: "scripts", run: () => quietly("pnpm", ["exec", "tsc", "--noEmit", "-p", "scripts"], root) },
  ];
  const failed: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const result = await job.run();
      if (result.code === 0) {
        console.log(`  ✓ ${job.name} (${result.seconds} s)`);
      } else {
        failed.push(job.name);
        console.log(`  ✗ ${job.name} (exit code ${result.code})\n${result.output.trimEnd().replace(/^/gm, "    ")}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, Math.min(4, availableParallelism())) }, worker));
  return failed;
}

function banner(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(4, 76 - text.length))}\n`);
}

async function main() {
  // Ctrl-C reaches the children too (same process group); stop here rather than run the rest.
  process.on("SIGINT", () => process.exit(130));

  const all = workspaces();
  banner("typecheck");
  const typecheckFailed = await typecheck(all);

  const outcomes: Outcome[] = [];
  const untested: string[] = [];
  for (const workspace of all) {
    const where = relative(root, workspace.dir);
    if (!workspace.scripts.test) {
      if (hasTestFiles(workspace.dir)) {
        outcomes.push({ name: workspace.name, passed: 0, failed: 0, skipped: 0, runs: 0, exitCode: 1, seconds: 0, note: "has test files but no test script" });
      } else {
        untested.push(workspace.name);
      }
      continue;
    }
    banner(`${workspace.name} (${where})`);
    outcomes.push(await run(workspace.name, "pnpm", ["run", "test"], workspace.dir));
  }

  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  const skipped = outcomes.reduce((sum, o) => sum + o.skipped, 0);
  const broken = outcomes.filter((o) => o.exitCode !== 0 || o.failed > 0);

  banner("summary");
  console.log(`  ${typecheckFailed.length ? `✗ typecheck failed: ${typecheckFailed.join(", ")}` : "✓ typecheck"}`);
  for (const o of outcomes) {
    const ok = o.exitCode === 0 && o.failed === 0;
    const counts = `${o.passed} passed, ${o.failed} failed${o.skipped ? `, ${o.skipped} skipped` : ""}`;
    const why = o.note ?? (!ok && o.failed === 0 ? `exit code ${o.exitCode}${o.runs === 0 ? ", no test report" : ""}` : "");
    console.log(`  ${ok ? "✓" : "✗"} ${o.name.padEnd(28)} ${counts.padEnd(34)} ${o.seconds} s${why ? `  (${why})` : ""}`);
  }
  if (untested.length) console.log(`  - no tests: ${untested.join(", ")}`);

  const failures = [
    ...broken.map((o) => (o.failed > 0 ? `${o.name} (${o.failed} failed)` : `${o.name} (${o.note ?? `exit code ${o.exitCode}`})`)),
    ...(typecheckFailed.length ? [`typecheck (${typecheckFailed.join(", ")})`] : []),
  ];
  console.log(`\n${passed} passed, ${failed} failed${skipped ? ` (${skipped} skipped)` : ""}${failures.length ? `; failed: ${failures.join(", ")}` : ""}`);
  process.exit(failures.length ? 1 : 0);
}

await main();
