/** The full check after a fault or a soak: table invariants, the message ledger, the reader's view, the stream's counts. */
import { expect } from "vitest";
import { byEntity, invariantViolations, scanTable, statsViolations } from "../security/table.ts";
import { type FaultStack, request } from "./fault-stack.ts";
import type { LoadClass, Workload } from "./workload.ts";

const trpcQuery = (path: string, input: unknown) => `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

/** Returns how long the stream consumer took to catch up after the load stopped. */
export async function verifyEverything(stack: FaultStack, classes: LoadClass[], load: Workload, drainTimeoutMs = 60_000): Promise<number> {
  const items = await scanTable(stack.env);
  expect(invariantViolations(items)).toEqual([]);

  const stored = byEntity(items, "message");
  const acked = [...load.sends.entries()].filter(([, s]) => s.acked).map(([id]) => id);
  expect(acked.length).toBe(load.sends.size);
  const storedIds = new Map<string, number>();
  for (const m of stored) storedIds.set(m.message_id, (storedIds.get(m.message_id) ?? 0) + 1);
  for (const id of acked) expect(storedIds.get(id), `acknowledged message ${id}`).toBe(1);
  for (const klass of classes) {
    const ours = stored.filter((m) => m.class_id === klass.class_id);
    for (const m of ours) expect(load.sends.has(m.message_id), `stored message ${m.message_id} was sent by someone`).toBe(true);

    // What a reader following the cursor sees: every message exactly once, in order.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const answer = await request(stack, "GET", trpcQuery("chat.list", { class_id: klass.class_id, limit: 100, ...(cursor ? { cursor } : {}) }), klass.teacher.token);
      expect(answer.status).toBe(200);
      const data = answer.body.result.data.json;
      seen.push(...data.messages.map((m: { message_id: string }) => m.message_id));
      cursor = data.newer;
      if (!data.has_more) break;
    }
    const expected = ours.sort((a, b) => a.created_at.localeCompare(b.created_at)).map((m) => m.message_id);
    expect(seen).toEqual(expected);
  }

  // The stream consumer handled every change exactly once.
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stack.streams.drain(),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`stream did not drain in ${drainTimeoutMs} ms`)), drainTimeoutMs))),
  ]).finally(() => clearTimeout(timer));
  const drainMs = Date.now() - started;
  expect(statsViolations(await scanTable(stack.env), classes.map((c) => c.class_id))).toEqual([]);
  return drainMs;
}
