/**
 * `pnpm eval:recs`: the offline evaluation of the recommendation model (docs/recommendations.md
 * explains the method and how to read the figures). Pure computation, no stack needed:
 *
 *   1. the generator's parameters, and the model's;
 *   2. Precision@5, Recall@5, NDCG@5 and Coverage of the model, a popularity baseline and a
 *      random baseline, on three seeds (mean, and the range);
 *   3. the popularity discount swept from 0 to 1 (why the default is what it is);
 *   4. training time at 10^5 and 10^6 interactions on this machine (in memory).
 *
 * `--seed <n>` picks the first seed; `--quick` skips the 10^6 timing.
 */
import {
  DEFAULT_GENERATOR,
  type Evaluation,
  type Metrics,
  evaluate,
  generate,
} from "@classroom/core/recommendation/evaluation";
import { DEFAULT_TRAINING, train } from "@classroom/core/recommendation/model";
import { cpus } from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { seed: { type: "string" }, quick: { type: "boolean" } } });
const firstSeed = Number(values.seed ?? DEFAULT_GENERATOR.seed);
const seeds = [firstSeed, firstSeed + 1, firstSeed + 2];

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const fixed = (x: number) => x.toFixed(3);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const rule = (n: number) => row(Array.from({ length: n }, () => "---"));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log("# Recommendations: offline evaluation\n");
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}\n`);
console.log("Generator:", JSON.stringify({ ...DEFAULT_GENERATOR, seed: seeds.join(", ") }));
console.log("Model:    ", JSON.stringify(DEFAULT_TRAINING), "\n");

const runs: Evaluation[] = seeds.map((seed) => evaluate({ seed }));
const first = runs[0]!;
console.log(
  `${first.interactions.toLocaleString("en")} interactions (seed ${seeds[0]}), ${first.generator.users.toLocaleString("en")} students, ${first.generator.items} items; ` +
    `${first.trainInteractions.toLocaleString("en")} train the model, ${first.model.users} test students\n`,
);

const strategies: Array<[string, (e: Evaluation) => Metrics]> = [
  ["Item-to-item (SIMS-style)", (e) => e.model],
  ["Popularity", (e) => e.popularity],
  ["Random", (e) => e.random],
  ["Best possible (the held-out items)", (e) => e.best],
];
const metrics: Array<[string, (m: Metrics) => number, (x: number) => string]> = [
  ["Precision@5", (m) => m.precisionAt5, fixed],
  ["Recall@5", (m) => m.recallAt5, fixed],
  ["NDCG@5", (m) => m.ndcgAt5, fixed],
  ["Coverage", (m) => m.coverage, pct],
];
console.log(`Mean over seeds ${seeds.join(", ")} (min–max):\n`);
console.log(row(["", ...metrics.map(([name]) => name)]));
console.log(rule(metrics.length + 1));
for (const [name, of] of strategies) {
  const cells = metrics.map(([, get, format]) => {
    const xs = runs.map((e) => get(of(e)));
    return `${format(mean(xs))} (${format(Math.min(...xs))}–${format(Math.max(...xs))})`;
  });
  console.log(row([name, ...cells]));
}

console.log(`\nPopularity discount (seed ${seeds[0]}):\n`);
console.log(row(["discount d", "Precision@5", "Recall@5", "NDCG@5", "Coverage"]));
console.log(rule(5));
for (const d of [0, 0.25, 0.5, 0.75, 1]) {
  const e = evaluate({ seed: seeds[0] }, { popularityDiscount: d });
  console.log(row([`${d}${d === DEFAULT_TRAINING.popularityDiscount ? " (default)" : ""}`, fixed(e.model.precisionAt5), fixed(e.model.recallAt5), fixed(e.model.ndcgAt5), pct(e.model.coverage)]));
}

console.log("\nTraining time (in memory, one partition, median of 3 runs; CPU time is what the process itself used):\n");
console.log(row(["interactions", "students", "items", "training time (wall)", "CPU time", "neighbour lists"]));
console.log(rule(6));
const sizes: Array<[number, number]> = [
  [100_000, 1_000],
  [1_000_000, 5_000],
];
for (const [target, items] of values.quick ? sizes.slice(0, 1) : sizes) {
  const users = Math.round(target / DEFAULT_GENERATOR.meanPerUser);
  const { interactions } = generate({ seed: seeds[0], users, items, topics: Math.max(12, Math.round(items / 50)) });
  const wall: number[] = [];
  const cpu: number[] = [];
  let lists = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const used = process.cpuUsage();
    lists = train(interactions).neighbours.size;
    const { user, system } = process.cpuUsage(used);
    wall.push(performance.now() - started);
    cpu.push((user + system) / 1000);
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    row([interactions.length.toLocaleString("en"), users.toLocaleString("en"), items.toLocaleString("en"), seconds(median(wall)), seconds(median(cpu)), lists.toLocaleString("en")]),
  );
}
