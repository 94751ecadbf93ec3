/**
 * `pnpm recs:train`: trains the recommendations of the running local stack (`pnpm dev`) now,
 * rather than at its next periodic run. The same job the hourly schedule runs on AWS: every
 * class with new interactions. `pnpm recs:train --class <class_id>` retrains one class,
 * whether or not it has anything new. Progress on stderr; what was trained, and how long it
 * took, on stdout.
 */
import { ENDPOINT_ENV, TABLE_ENV } from "@classroom/core/table";
import * as Recommendation from "@classroom/core/recommendation";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const stackFile = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".local", "stack.json");

/** `[#########-----------]  9/20 classes` on one line (redrawn on a terminal, one line per step otherwise). */
function progress(done: number, total: number, what: string): void {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} classes ${what}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(process.stderr.columns ? process.stderr.columns - 1 : line.length)}`);
  else process.stderr.write(`${line}\n`);
  if (process.stderr.isTTY && done === total) process.stderr.write("\n");
}

function describe(t: Recommendation.ClassTraining): string {
  return `  ${t.class_id}  ${t.interactions} interactions, ${t.users} people, ${t.items} items, ${t.with_neighbours} with neighbours  (${t.duration_ms} ms)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { class: { type: "string" } } });
  if (!existsSync(stackFile)) {
    console.error("No local stack found: start it with `pnpm dev` first.");
    process.exit(1);
  }
  const stack = JSON.parse(readFileSync(stackFile, "utf8")) as { dynamoEndpoint: string; tableName: string };
  process.env[ENDPOINT_ENV] = stack.dynamoEndpoint;
  process.env[TABLE_ENV] = stack.tableName;
  const started = performance.now();

  if (values.class) {
    progress(0, 1, values.class);
    const trained = await Recommendation.trainClass(values.class);
    progress(1, 1, "");
    console.log(`Trained 1 class in ${((performance.now() - started) / 1000).toFixed(2)} s:\n${describe(trained)}`);
    return;
  }
  const run = await Recommendation.trainDue({ onProgress: (done, total, class_id) => progress(done, total, class_id ?? "") });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (run.trained.length + run.failed.length === 0) console.log(`Nothing to train: no class has new interactions (${seconds} s).`);
  else console.log(`Trained ${run.trained.length} class${run.trained.length === 1 ? "" : "es"} in ${seconds} s:\n${run.trained.map(describe).join("\n")}`);
  for (const { class_id, error } of run.failed) console.error(`  ${class_id} FAILED: ${(error as Error).message}`);
  if (run.failed.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`recs:train failed: ${(error as Error).message}. Is \`pnpm dev\` running?`);
  process.exit(1);
});
