/**
 * Faults (threat R1): DynamoDB Local is stopped in the middle of a mixed load and started again
 * on the same port with the same data; later the network to it freezes (connections open, no
 * byte moves). While it is gone, requests fail fast with 503 `service.unavailable` and none
 * hangs past the API's own timeouts; afterwards the API recovers by itself, every invariant
 * holds, every acknowledged message is stored exactly once, and the stream consumer resumes
 * without double counting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultStack, classWith, request, startFaultStack } from "./fault-stack.ts";
import { verifyEverything } from "./verify.ts";
import { type LoadClass, startWorkload } from "./workload.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: FaultStack;
let classes: LoadClass[];

beforeAll(async () => {
  stack = await startFaultStack();
  classes = await Promise.all([classWith(stack, 4), classWith(stack, 4), classWith(stack, 3)]);
});

afterAll(async () => {
  await stack?.stop();
});

/** Waits until a plain read succeeds again; returns how long that took. */
async function recovery(token: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answer = await request(stack, "GET", "/classes", token, undefined, 10_000);
    if (answer.status === 200) return Date.now() - started;
    if (Date.now() - started > 30_000) throw new Error(`no recovery: ${answer.status} ${JSON.stringify(answer.body)}`);
    await sleep(200);
  }
}

describe("DynamoDB outage", () => {
  it("fails fast with 503 while the database is down or frozen, recovers by itself, and loses nothing", async () => {
    const load = startWorkload(stack, classes, { workers: 8, deadlineMs: 30_000 });
    load.phase("before");
    await sleep(3000);

    // 1. DynamoDB Local stops (process gone: connections refused).
    load.phase("stopped");
    await stack.stopDynamo();
    await sleep(3000);
    load.phase("restarting");
    await stack.startDynamo();
    const afterRestart = await recovery(classes[0]!.teacher.token);
    load.phase("after restart");
    await sleep(3000);

    // 2. The network to DynamoDB freezes: nothing is refused, nothing answers.
    load.phase("frozen");
    stack.freeze();
    await sleep(12_000);
    stack.thaw();
    load.phase("thawed");
    const afterThaw = await recovery(classes[0]!.teacher.token);
    await sleep(3000);
    await load.stop();
    await load.settle();

    const report = Object.fromEntries([...load.tallies].map(([phase, t]) => [phase, { requests: t.requests, slowestMs: t.slowestMs, statuses: t.statuses }]));
    console.log(JSON.stringify({ recoveryMs: { afterRestart, afterThaw }, sends: load.sends.size, phases: report }, null, 1));
    console.log(stack.logs.summary());

    for (const [phase, tally] of load.tallies) {
      expect(tally.unexpected, `${phase}: answers other than 2xx/4xx/documented 503`).toEqual([]);
    }
    // While it is down, answers are quick 503s with the documented code, never a 500.
    const stopped = load.tallies.get("stopped")!;
    expect(stopped.statuses["503 service.unavailable"] ?? 0).toBeGreaterThan(0);
    expect(stopped.slowestMs).toBeLessThan(5_000);
    // Frozen: each request gives up within the API's timeouts (well before the 12 s freeze ends).
    const frozen = load.tallies.get("frozen")!;
    expect(frozen.statuses["503 service.unavailable"] ?? 0).toBeGreaterThan(0);
    expect(frozen.slowestMs).toBeLessThan(10_000);
    // Up again: it recovers by itself and serves normally.
    expect(afterRestart).toBeLessThan(10_000);
    expect(afterThaw).toBeLessThan(10_000);
    for (const phase of ["before", "after restart"]) {
      const tally = load.tallies.get(phase)!;
      expect(tally.statuses["503 service.unavailable"] ?? 0, phase).toBe(0);
      expect(tally.statuses["201"] ?? 0, phase).toBeGreaterThan(0);
    }

    await verifyEverything(stack, classes, load);

    // Every 503 is logged as an error (kept out of the output, see src/api-logs.ts): all of
    // them must be the outage, answered with its documented code; a 500 fails the test. The
    // stream consumer's records that failed while the table was gone were retried (and counted
    // once, verified above).
    expect(stack.logs.errors().filter((record) => record.code === "service.unavailable").length).toBeGreaterThan(0);
    expect(stack.logs.unexpected()).toEqual([]);
  });
});
