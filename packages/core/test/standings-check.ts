/**
 * The standings invariants, checked against a recomputation from the submissions themselves:
 * every standing (sum, count, score) equals what its student's returned, graded submissions of
 * live, published assignments add up to; every submission's `counted` is its contribution; the
 * ranking index holds exactly the class's students with graded work, in score order (ties by
 * name); the top performers' index holds exactly those above the threshold.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "vitest";
import { TOP_PERFORMER_SCORE } from "../src/limits.ts";
import { contribution, scoreOf } from "../src/standing/ledger.ts";
import { db, dynamo, tableName } from "../src/table.ts";
import { everyPage } from "./pages.ts";

export interface Expected {
  student_id: string;
  name: string;
  sum: number;
  count: number;
  score: number;
  active: boolean;
}

/** What the standings must be, from the submissions, assignments and memberships (all read strongly consistently). */
export async function recompute(class_id: string): Promise<{ expected: Map<string, Expected>; countedMismatches: string[] }> {
  const [members, submissions, assignments] = await Promise.all([
    db().entities.membership.query.byClass({ class_id }).go({ pages: "all", consistent: true }),
    db().entities.submission.query.byClass({ class_id }).go({ pages: "all", consistent: true }),
    db().entities.assignment.query.byClass({ class_id }).go({ pages: "all" }),
  ]);
  // The list of a class's assignments is an index; read each one consistently by id.
  const byId = new Map(
    await Promise.all(
      assignments.data.map(async (a) => [a.assignment_id, (await db().entities.assignment.get({ assignment_id: a.assignment_id }).go({ consistent: true })).data!] as const),
    ),
  );
  const students = new Map(members.data.filter((m) => m.role === "student").map((m) => [m.user_id, m.user_name]));
  const expected = new Map<string, Expected>();
  const countedMismatches: string[] = [];
  for (const s of submissions.data) {
    const assignment = byId.get(s.assignment_id);
    const due = contribution(s, assignment);
    if (due !== s.counted) countedMismatches.push(`${s.assignment_id}/${s.student_id}: counted ${s.counted}, due ${due}`);
    if (due === undefined) continue;
    const entry = expected.get(s.student_id) ?? { student_id: s.student_id, name: students.get(s.student_id) ?? "", sum: 0, count: 0, score: 0, active: students.has(s.student_id) };
    entry.sum += due;
    entry.count += 1;
    entry.score = scoreOf(entry.sum, entry.count);
    expected.set(s.student_id, entry);
  }
  return { expected, countedMismatches };
}

async function indexEntries(index: "ClassRankingIndex" | "TopPerformersIndex", pk: string, class_id: string) {
  const items = await everyPage((start) =>
    dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index,
        KeyConditionExpression: "#pk = :c",
        ExpressionAttributeNames: { "#pk": pk },
        ExpressionAttributeValues: { ":c": class_id },
        ExclusiveStartKey: start,
      }),
    ),
  );
  return items.map((i) => ({ student_id: String(i.student_id), score: Number(i.score) }));
}

/** Score descending, then name (case-insensitive), then id: the ranking's order. */
export const rankingOrder = (a: Expected, b: Expected) =>
  b.score - a.score || (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0) || (a.student_id < b.student_id ? -1 : 1);

/** Asserts every invariant of the class's standings; returns the recomputed standings of its students. */
export async function expectStandingsExact(class_id: string, context = ""): Promise<Expected[]> {
  const { expected, countedMismatches } = await recompute(class_id);
  expect(countedMismatches, `${context}: submissions counted as their contribution`).toEqual([]);
  const { data: stored } = await db().entities.standing.query.byClass({ class_id }).go({ pages: "all", consistent: true });
  const actual = stored.map((s) => ({ student_id: s.student_id, name: s.student_name, sum: s.sum, count: s.count, score: s.score ?? Number.NaN, active: s.active }));
  const sortById = (a: { student_id: string }, b: { student_id: string }) => (a.student_id < b.student_id ? -1 : 1);
  // A parked standing (a removed student's) keeps its sums but not the name it will get back with.
  const comparable = (e: Expected) => ({ ...e, name: e.active ? e.name : "" });
  expect(actual.map(comparable).sort(sortById), `${context}: standings equal the recomputation`).toEqual([...expected.values()].map(comparable).sort(sortById));
  for (const s of stored) {
    const ranked = s.active;
    expect(Boolean(s.rank_pk && s.rank_sk), `${context}: ${s.student_id} in the ranking`).toBe(ranked);
    expect(Boolean(s.top_pk && s.top_sk), `${context}: ${s.student_id} among top performers`).toBe(ranked && (s.score ?? 0) > TOP_PERFORMER_SCORE);
  }
  const students = [...expected.values()].filter((e) => e.active).sort(rankingOrder);
  const ranking = await indexEntries("ClassRankingIndex", "rank_pk", class_id);
  expect(ranking, `${context}: the ranking index in order`).toEqual(students.map((s) => ({ student_id: s.student_id, score: s.score })));
  const top = await indexEntries("TopPerformersIndex", "top_pk", class_id);
  expect(top, `${context}: the top performers' index`).toEqual(
    students.filter((s) => s.score > TOP_PERFORMER_SCORE).map((s) => ({ student_id: s.student_id, score: s.score })),
  );
  return students;
}
