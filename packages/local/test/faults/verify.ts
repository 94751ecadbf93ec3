/** The full check after a fault or a soak: table invariants, the message ledger, the reader's view, the stream's counts. */
import { contribution, scoreOf } from "@classroom/core/standing";
import { expect } from "vitest";
import { type Item, byEntity, invariantViolations, scanTable, statsViolations } from "../security/table.ts";
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
  const settled = await scanTable(stack.env);
  expect(statsViolations(settled, classes.map((c) => c.class_id))).toEqual([]);
  await stack.bus.drain();
  expect(await courseworkViolations(stack)).toEqual([]);
  return drainMs;
}

/**
 * Standings, notifications and files over the whole table, once the stream and the bus are
 * idle: every standing equals a recomputation from the submissions (and each submission
 * counts what it should), one notification per (event, recipient) and every unread counter
 * equal to the unread items, every ready file's object in the bucket with the declared size,
 * and no file attached (or linked) before it was ready.
 */
export async function courseworkViolations(stack: FaultStack, items?: Item[]): Promise<string[]> {
  items ??= await scanTable(stack.env);
  return [...standingViolations(items), ...notificationViolations(items), ...(await fileViolations(stack, items))];
}

export function standingViolations(items: Item[]): string[] {
  const problems: string[] = [];
  const assignments = new Map(byEntity(items, "assignment").map((a) => [a.assignment_id as string, a]));
  const expected = new Map<string, { sum: number; count: number }>();
  for (const s of byEntity(items, "submission")) {
    const due = contribution(s as never, assignments.get(s.assignment_id) as never);
    if (s.counted !== due) problems.push(`submission ${s.assignment_id}_${s.student_id}: counts ${s.counted}, should count ${due}`);
    if (due === undefined) continue;
    const key = `${s.class_id}/${s.student_id}`;
    const total = expected.get(key) ?? { sum: 0, count: 0 };
    expected.set(key, { sum: total.sum + due, count: total.count + 1 });
  }
  const standings = new Map(byEntity(items, "standing").map((s) => [`${s.class_id}/${s.student_id}`, s]));
  for (const key of new Set([...expected.keys(), ...standings.keys()])) {
    const want = expected.get(key) ?? { sum: 0, count: 0 };
    const stored = standings.get(key);
    const have = { sum: stored?.sum ?? 0, count: stored?.count ?? 0 };
    if (have.sum !== want.sum || have.count !== want.count) {
      problems.push(`standing ${key}: sum ${have.sum} count ${have.count}, recomputed sum ${want.sum} count ${want.count}`);
    } else if (stored && want.count > 0 && stored.score !== scoreOf(want.sum, want.count)) {
      problems.push(`standing ${key}: score ${stored.score}, recomputed ${scoreOf(want.sum, want.count)}`);
    }
  }
  return problems;
}

export function notificationViolations(items: Item[]): string[] {
  const problems: string[] = [];
  const notifications = byEntity(items, "notification");
  const seen = new Map<string, number>();
  for (const n of notifications) seen.set(`${n.user_id}/${n.event_id}`, (seen.get(`${n.user_id}/${n.event_id}`) ?? 0) + 1);
  for (const [key, times] of seen) if (times !== 1) problems.push(`notification ${key} stored ${times} times`);
  const unread = new Map<string, number>();
  for (const n of notifications) if (!n.read_at) unread.set(n.user_id, (unread.get(n.user_id) ?? 0) + 1);
  for (const inbox of byEntity(items, "inbox")) {
    if ((inbox.unread ?? 0) !== (unread.get(inbox.user_id) ?? 0)) problems.push(`inbox ${inbox.user_id}: unread ${inbox.unread}, ${unread.get(inbox.user_id) ?? 0} unread notifications`);
    unread.delete(inbox.user_id);
  }
  for (const [user, n] of unread) problems.push(`${n} unread notifications of ${user} without an inbox counter`);
  return problems;
}

export async function fileViolations(stack: FaultStack, items: Item[]): Promise<string[]> {
  const problems: string[] = [];
  const files = byEntity(items, "file");
  const byId = new Map(files.map((f) => [f.file_id as string, f]));
  for (const f of files) {
    if (f.status === "pending" && f.parent_id) problems.push(`file ${f.file_id}: pending but attached to ${f.parent_type} ${f.parent_id}`);
    if (f.status !== "ready" || f.removed_at) continue;
    // Straight to the local S3 (not through the API's proxy); it answers unsigned requests.
    const head = await fetch(`${stack.s3Endpoint}/${stack.filesBucket}/files/${f.file_id}`, { method: "HEAD" });
    const size = Number(head.headers.get("content-length"));
    if (head.status !== 200) problems.push(`file ${f.file_id}: ready, but its object is missing (${head.status})`);
    else if (size !== f.size) problems.push(`file ${f.file_id}: ready with ${f.size} bytes declared, object has ${size}`);
  }
  for (const link of byEntity(items, "fileLink")) {
    const file = byId.get(link.file_id);
    if (!file || file.status !== "ready") problems.push(`file link ${link.parent_type} ${link.parent_id} → ${link.file_id}: file ${file ? file.status : "missing"}`);
  }
  return problems;
}

/**
 * Notifications that should exist and do not (lost on the way): the student of every returned,
 * graded submission has a `grade.returned` about its assignment, and every member but the
 * author has an `announcement.posted` about each announcement. Holds when nobody turned
 * notifications off and memberships did not change meanwhile (as in the soak).
 */
export function lostNotifications(items: Item[]): string[] {
  const problems: string[] = [];
  const notifications = new Set(byEntity(items, "notification").map((n) => `${n.user_id}/${n.kind}/${n.target_id}`));
  const members = byEntity(items, "membership");
  const isMember = (class_id: string, user_id: string) => members.some((m) => m.class_id === class_id && m.user_id === user_id);
  const assignments = new Map(byEntity(items, "assignment").map((a) => [a.assignment_id as string, a]));
  for (const s of byEntity(items, "submission")) {
    const assignment = assignments.get(s.assignment_id);
    if (s.state !== "returned" || typeof s.assigned_grade !== "number" || !assignment || assignment.deleted_at || !isMember(s.class_id, s.student_id)) continue;
    if (!notifications.has(`${s.student_id}/grade.returned/${s.assignment_id}`)) problems.push(`no grade.returned for ${s.student_id} about ${s.assignment_id}`);
  }
  for (const post of byEntity(items, "post").filter((p) => p.kind === "announcement")) {
    for (const m of members.filter((m) => m.class_id === post.class_id && m.user_id !== post.author_id)) {
      if (!notifications.has(`${m.user_id}/announcement.posted/${post.post_id}`)) problems.push(`no announcement.posted for ${m.user_id} about ${post.post_id}`);
    }
  }
  return problems;
}
