/**
 * Class standings: the top 50 of a class of 500 students × 20 graded assignments, read from
 * ClassRankingIndex (one Query of 51 items) against computing it from the submissions (the
 * class's memberships, assignments and 10,000 submissions, then averaging and sorting), with
 * the read units each consumes (ReturnConsumedCapacity) and their latency; the same top 50
 * through the REST endpoint; and how many items the sparse TopPerformersIndex holds against
 * the ranking index.
 *
 * The class is seeded through core's entities and ledger (batch writes of memberships and
 * returned submissions with what they count for, then each standing with its sums, projected
 * by core's `rekey`), not through 10,000 grading requests: the scenario measures reads.
 * Grades are drawn from a fixed-seed generator around each student's level, so every run
 * seeds the same class.
 */
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import * as Assignment from "@classroom/core/assignment";
import * as Class from "@classroom/core/class";
import { TOP_PERFORMER_SCORE } from "@classroom/core/limits";
import * as Standing from "@classroom/core/standing";
import { db, dynamo, tableName } from "@classroom/core/table";
import type { Api } from "./http.ts";
import { Recorder, pool, round } from "./stats.ts";
import { type StackInfo, makeUsers } from "./world.ts";

export interface StandingsResult {
  students: number;
  assignments: number;
  top: number;
  repeats: number;
  seedSeconds: number;
  index: { readUnits: number; p50: number; p95: number };
  fromSubmissions: { readUnits: number; p50: number; p95: number; queries: number };
  rest: { p50: number; p95: number };
  sameTop: boolean;
  rankingItems: number;
  topPerformerItems: number;
  topPerformerShare: number;
  threshold: number;
}

const STUDENTS = 500;
const ASSIGNMENTS = 20;
const TOP = 50;

/** A fixed-seed generator (Park and Miller's minimal standard), so every run seeds the same grades. */
function random(seed: number) {
  let state = seed % 2_147_483_647;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

async function seed(stack: StackInfo) {
  const [teacher] = await makeUsers(stack, 1);
  const { class_id, name: class_name } = await Class.create({ name: "Standings bench" }, teacher!.actor);
  const points = [10, 20, 25, 50, 100];
  const assignments: Assignment.Assignment[] = [];
  for (let i = 0; i < ASSIGNMENTS; i++) {
    assignments.push(await Assignment.create({ class_id, title: `Assignment ${i + 1}`, max_points: points[i % points.length]! }, teacher!.actor));
  }
  const next = random(13);
  const now = new Date().toISOString();
  const students = Array.from({ length: STUDENTS }, (_, i) => ({ id: `bench-student-${String(i).padStart(4, "0")}`, name: `Student ${i}`, level: 0.55 + 0.4 * next() }));
  await pool(Math.ceil(STUDENTS / 25), 4, async (batch) => {
    const members = students.slice(batch * 25, batch * 25 + 25).map((s) => ({
      class_id,
      user_id: s.id,
      role: "student" as const,
      user_name: s.name,
      class_name,
      joined_at: now,
    }));
    await db().entities.membership.put(members).go();
  });
  const sums = new Map<string, { sum: number; count: number }>();
  const submissions = students.flatMap((s) =>
    assignments.map((a) => {
      const max = a.max_points!;
      const grade = Math.round(Math.min(max, Math.max(0, max * (s.level + (next() - 0.5) * 0.3))) * 100) / 100;
      const item = {
        class_id,
        assignment_id: a.assignment_id,
        student_id: s.id,
        state: "returned" as const,
        assigned_grade: grade,
        returned_at: now,
        updated_at: now,
        version: 1,
      };
      const counted = Standing.contribution(item, { max_points: max, state: a.state });
      const total = sums.get(s.id) ?? { sum: 0, count: 0 };
      if (counted !== undefined) sums.set(s.id, { sum: total.sum + counted, count: total.count + 1 });
      return { ...item, ...(counted !== undefined ? { counted } : {}) };
    }),
  );
  await pool(Math.ceil(submissions.length / 25), 8, async (batch) => {
    await db().entities.submission.put(submissions.slice(batch * 25, batch * 25 + 25)).go();
  });
  const standings = students.map((s) => ({ class_id, student_id: s.id, student_name: s.name, active: true, ...sums.get(s.id)!, updated_at: now }));
  await pool(Math.ceil(STUDENTS / 25), 4, async (batch) => {
    await db().entities.standing.put(standings.slice(batch * 25, batch * 25 + 25)).go();
  });
  await pool(STUDENTS, 16, async (i) => Standing.rekey({ class_id, student_id: students[i]!.id }));
  return { class_id, teacher: teacher!, students };
}

/** Runs a Query to its end (eventually consistent, like a GSI read), counting items, pages and read units. */
async function queryAll(input: QueryCommandInput): Promise<{ items: Record<string, any>[]; units: number; pages: number }> {
  const items: Record<string, any>[] = [];
  let units = 0;
  let pages = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(new QueryCommand({ ...input, ReturnConsumedCapacity: "TOTAL", ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    units += out.ConsumedCapacity?.CapacityUnits ?? 0;
    pages++;
    start = out.LastEvaluatedKey;
  } while (start);
  return { items, units, pages };
}

/** The top of the class computed from the submissions, as a design without standings would (the Queries core's own reads send). */
async function topFromSubmissions(class_id: string) {
  const [members, submissions, assignments] = await Promise.all([
    queryAll(db().entities.membership.query.byClass({ class_id }).params() as QueryCommandInput),
    queryAll(db().entities.submission.query.byClass({ class_id }).params() as QueryCommandInput),
    queryAll(db().entities.assignment.query.byClass({ class_id }).params() as QueryCommandInput),
  ]);
  const byId = new Map(assignments.items.map((a) => [a.assignment_id as string, a]));
  const names = new Map(members.items.filter((m) => m.role === "student").map((m) => [m.user_id as string, m.user_name as string]));
  const totals = new Map<string, { sum: number; count: number }>();
  for (const s of submissions.items) {
    if (!names.has(s.student_id)) continue;
    const counted = Standing.contribution(s as never, byId.get(s.assignment_id) as never);
    if (counted === undefined) continue;
    const total = totals.get(s.student_id) ?? { sum: 0, count: 0 };
    totals.set(s.student_id, { sum: total.sum + counted, count: total.count + 1 });
  }
  const ranked = [...totals].map(([id, t]) => ({ id, name: names.get(id)!, score: Standing.scoreOf(t.sum, t.count) }));
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  ranked.sort((a, b) => b.score - a.score || byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.id, b.id));
  return {
    top: ranked.slice(0, TOP).map((r) => r.id),
    units: members.units + submissions.units + assignments.units,
    queries: members.pages + submissions.pages + assignments.pages,
  };
}

async function countIndex(class_id: string, index: "ClassRankingIndex" | "TopPerformersIndex", pk: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index,
        KeyConditionExpression: "#pk = :c",
        ExpressionAttributeNames: { "#pk": pk },
        ExpressionAttributeValues: { ":c": class_id },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

export async function standingsRanking(api: Api, stack: StackInfo, repeats: number): Promise<StandingsResult> {
  const seeded = performance.now();
  const { class_id, teacher } = await seed(stack);
  const seedSeconds = round((performance.now() - seeded) / 1000, 1);

  const index = new Recorder();
  const computed = new Recorder();
  const rest = new Recorder();
  let indexUnits = 0;
  let computedUnits = 0;
  let queries = 0;
  let sameTop = true;
  for (let i = 0; i < repeats; i++) {
    let started = performance.now();
    const page = await Standing.readIndexPage(class_id, "ClassRankingIndex", { limit: TOP });
    index.add(performance.now() - started);
    indexUnits = page.consumed;
    started = performance.now();
    const fromSubmissions = await topFromSubmissions(class_id);
    computed.add(performance.now() - started);
    computedUnits = fromSubmissions.units;
    queries = fromSubmissions.queries;
    sameTop &&= JSON.stringify(page.entries.map((e) => e.student_id)) === JSON.stringify(fromSubmissions.top);
    started = performance.now();
    const reply = await api.rest("GET", `/classes/${class_id}/ranking?limit=${TOP}`, teacher.token);
    rest.add(performance.now() - started, reply.status === 200);
    if (reply.status !== 200) throw new Error(`ranking: ${JSON.stringify(reply.body)}`);
  }
  const [rankingItems, topPerformerItems] = await Promise.all([countIndex(class_id, "ClassRankingIndex", "rank_pk"), countIndex(class_id, "TopPerformersIndex", "top_pk")]);
  const summary = (r: Recorder) => {
    const s = r.summary();
    return { p50: s.p50, p95: s.p95 };
  };
  return {
    students: STUDENTS,
    assignments: ASSIGNMENTS,
    top: TOP,
    repeats,
    seedSeconds,
    index: { readUnits: round(indexUnits), ...summary(index) },
    fromSubmissions: { readUnits: round(computedUnits), queries, ...summary(computed) },
    rest: summary(rest),
    sameTop,
    rankingItems,
    topPerformerItems,
    topPerformerShare: round(topPerformerItems / rankingItems, 3),
    threshold: TOP_PERFORMER_SCORE,
  };
}
