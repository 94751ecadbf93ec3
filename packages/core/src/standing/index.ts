/**
 * Class standings: each student's average over their returned, graded work, the class's
 * ranking and its top performers.
 *
 * Exact figures come from the base table: a student's score and count are one strongly
 * consistent GetItem of their standing, which every grading transaction keeps equal to the
 * sum of their submissions' contributions (ledger.ts, settle.ts).
 *
 * Order comes from two GSIs, ClassRankingIndex (every student of the class with graded work)
 * and the sparse TopPerformersIndex (only those above TOP_PERFORMER_SCORE), both keyed by
 * class and then score descending, name, id. A GSI can only be read eventually consistently:
 * for a moment after a grade is returned (usually well under a second on AWS), the ranking
 * may still show that student's previous score and place, a student who just crossed the
 * threshold may be missing from the top performers (or one who just fell below it still
 * listed), and a removed student may still be listed. Each entry is a consistent snapshot
 * of one standing (its score, count and name always belong together), and a page never
 * lists a student twice, but a rank computed from the index may be off by the students whose
 * standing is changing at that moment. Nothing exact (a score, a count) is ever derived from
 * an index read.
 */
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, decodeCursor, encodeCursor } from "../cursor.ts";
import { badRequest, forbidden, notFound } from "../errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { DEFAULT_RANKING_PAGE, MAX_RANKING_PAGE } from "../limits.ts";
import { membershipOf, requireMember, requireTeacher } from "../membership/index.ts";
import type { StreamConsumer } from "../stream.ts";
import { db, dynamo, tableName } from "../table.ts";
import { tableDefinition } from "../table-definition.ts";
import { exactScore, isTopPerformer, projected, readStanding, rekey, scoreKey } from "./ledger.ts";
import { settleAssignment } from "./settle.ts";

export { settleAssignment };
/** The ledger's definitions, for tools (benchmarks, a backfill) that build or check standings. */
export { contribution, rekey, scoreOf } from "./ledger.ts";

export const RankedStudent = z
  .object({
    rank: z.number().int().meta({ description: "1 + the number of students with a higher score: equal scores share a rank" }),
    student_id: z.string(),
    student_name: z.string(),
    score: z.number().meta({ description: "Average percentage over the returned, graded assignments (2 decimals)" }),
    count: z.number().int().meta({ description: "How many returned, graded assignments the score is over" }),
    top_performer: z.boolean().meta({ description: "Score above the top performers' threshold" }),
  })
  .meta({ id: "RankedStudent" });
export type RankedStudent = z.output<typeof RankedStudent>;

export const RankingPage = z
  .object({
    students: z.array(RankedStudent).meta({
      description:
        "By score, highest first, ties by name. Read from an index, so a grade returned a moment ago may not be reflected yet; students without graded work are not ranked.",
    }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next page. null on the last page." }),
  })
  .meta({ id: "RankingPage" });

export const StudentStanding = z
  .object({
    class_id: z.string(),
    student_id: z.string(),
    student_name: z.string(),
    score: z.number().nullable().meta({ description: "Average percentage over the returned, graded assignments (2 decimals); null before any" }),
    count: z.number().int().meta({ description: "How many returned, graded assignments the score is over" }),
    top_performer: z.boolean(),
    rank: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Place in the class (equal scores share one). null without graded work, or for a student when the class does not show ranks" }),
    class_size: z.number().int().nullable().meta({ description: "How many students are ranked (those with graded work); null when `rank` is" }),
  })
  .meta({ id: "StudentStanding" });
export type StudentStanding = z.output<typeof StudentStanding>;

export const RankingInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_RANKING_PAGE).default(DEFAULT_RANKING_PAGE),
  cursor: Cursor.optional(),
});

export const StandingInput = z.object({
  class_id: Id,
  student_id: Id.optional().meta({ description: "Teachers: whose standing. Students see their own." }),
});

export const standingNotFound = () => notFound("standing.not_found", "This person is not a student of the class.");

type Index = "ClassRankingIndex" | "TopPerformersIndex";
const indexKeys = (index: Index) => tableDefinition.globalIndexes[index];

/** Where a page continues: after this key, with this many students before it, the last of them at this rank and score. */
interface Position {
  key: string;
  seen: number;
  rank: number;
  score: number;
}

const Position = z.object({ key: z.string(), seen: z.number().int().min(0), rank: z.number().int().min(1), score: z.number() });

function positionOf(scope: string, cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  const parsed = Position.safeParse(JSON.parse(decodeCursor(scope, cursor)));
  if (!parsed.success) throw badRequest("cursor.invalid", "The cursor is not valid for this list. Start again without one.");
  return parsed.data;
}

interface IndexEntry {
  student_id: string;
  student_name: string;
  score: number;
  count: number;
  sort_key: string;
}

/**
 * One page of an index (eventually consistent, see above), highest score first, with the read
 * units it consumed. Exported for the benchmark.
 */
export async function readIndexPage(
  class_id: string,
  index: Index,
  options: { limit: number; after?: string | undefined },
): Promise<{ entries: IndexEntry[]; more: boolean; consumed: number }> {
  const keys = indexKeys(index);
  const input: QueryCommandInput = {
    TableName: tableName(),
    IndexName: index,
    KeyConditionExpression: options.after ? "#pk = :class AND #sk > :after" : "#pk = :class",
    ExpressionAttributeNames: { "#pk": keys.partitionKey, ...(options.after ? { "#sk": keys.sortKey } : {}) },
    ExpressionAttributeValues: { ":class": class_id, ...(options.after ? { ":after": options.after } : {}) },
    ScanIndexForward: true,
    Limit: options.limit + 1,
    ReturnConsumedCapacity: "TOTAL",
  };
  const out = await dynamo().send(new QueryCommand(input));
  const items = (out.Items ?? []).map((item) => ({
    student_id: String(item.student_id),
    student_name: String(item.student_name),
    score: Number(item.score),
    count: Number(item.count),
    sort_key: String(item[keys.sortKey]),
  }));
  return { entries: items.slice(0, options.limit), more: items.length > options.limit, consumed: out.ConsumedCapacity?.CapacityUnits ?? 0 };
}

async function page(index: Index, { class_id, limit, cursor }: z.output<typeof RankingInput>, actor: Actor) {
  await requireTeacher(class_id, actor);
  const scope = `${index}:${class_id}`;
  const after = positionOf(scope, cursor);
  const { entries, more } = await readIndexPage(class_id, index, { limit, after: after?.key });
  let previous = after ? { rank: after.rank, score: after.score } : undefined;
  const students = entries.map((entry, i) => {
    const position = (after?.seen ?? 0) + i + 1;
    const rank = previous && previous.score === entry.score ? previous.rank : position;
    previous = { rank, score: entry.score };
    return {
      rank,
      student_id: entry.student_id,
      student_name: entry.student_name,
      score: entry.score,
      count: entry.count,
      top_performer: isTopPerformer(entry.score),
    };
  });
  const last = entries[entries.length - 1];
  const next =
    more && last && previous
      ? encodeCursor(scope, JSON.stringify({ key: last.sort_key, seen: (after?.seen ?? 0) + entries.length, rank: previous.rank, score: previous.score }))
      : null;
  return { students, cursor: next };
}

/** A class's students by score, highest first, ties by name (teachers). From ClassRankingIndex. */
export const ranking = fn(RankingInput, RankingPage, (input, actor) => page("ClassRankingIndex", input, actor));

/** The students above the top performers' threshold, highest first (teachers). From the sparse TopPerformersIndex. */
export const topPerformers = fn(RankingInput, RankingPage, (input, actor) => page("TopPerformersIndex", input, actor));

/** How many entries of a class's ranking match, other than `student_id`'s own (its entry may lag). */
async function countRanked(class_id: string, student_id: string, below?: string): Promise<number> {
  const keys = indexKeys("ClassRankingIndex");
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "ClassRankingIndex",
        KeyConditionExpression: below ? "#pk = :class AND #sk < :below" : "#pk = :class",
        FilterExpression: "#student <> :me",
        ExpressionAttributeNames: { "#pk": keys.partitionKey, "#student": "student_id", ...(below ? { "#sk": keys.sortKey } : {}) },
        ExpressionAttributeValues: { ":class": class_id, ":me": student_id, ...(below ? { ":below": below } : {}) },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * A student's standing: their score and count (exact), and their rank and the number of
 * students ranked (from the index). Students see their own, with the rank only when the class
 * shows ranks to students; teachers see anyone's (`student_id`).
 */
export const get = fn(StandingInput, StudentStanding, async ({ class_id, student_id }, actor) => {
  const role = await requireMember(class_id, actor);
  if (role === "student" && student_id !== undefined && student_id !== actor.userId) {
    throw forbidden("class.teacher_only", "Only a teacher of this class can see another student's standing.");
  }
  if (role === "teacher" && student_id === undefined) throw badRequest("standing.student_required", "Give the student_id of the student whose standing to show.");
  const target = student_id ?? actor.userId;
  const [member, standing, klass] = await Promise.all([
    membershipOf(class_id, target),
    readStanding({ class_id, student_id: target }),
    role === "student" ? db().entities.class.get({ class_id }).go({ consistent: true }) : undefined,
  ]);
  if (member?.role !== "student") throw standingNotFound();
  const showRank = role === "teacher" || klass?.data?.show_rank_to_students === true;
  const score = exactScore(standing);
  const [ahead, others] =
    score !== null && showRank ? await Promise.all([countRanked(class_id, target, scoreKey(score)), countRanked(class_id, target)]) : [undefined, undefined];
  return {
    class_id,
    student_id: target,
    student_name: member.user_name,
    score,
    count: score === null ? 0 : standing!.count,
    top_performer: score !== null && isTopPerformer(score),
    rank: ahead === undefined ? null : ahead + 1,
    class_size: others === undefined ? null : others + 1,
  };
});

const ENTITY = "__edb_e__";

/**
 * The stream's part, finishing what a request that died half way left undone (both steps are
 * idempotent, so redeliveries and the requests' own runs are harmless):
 * - an assignment whose points, state or deletion changed is settled again;
 * - a standing whose score or keys do not match its sum, count, membership and name (a
 *   writer died between its transaction and its rekey) is rekeyed.
 */
export const consume: StreamConsumer = async ({ action, before, after }) => {
  if (after?.[ENTITY] === "standing" && action !== "remove") {
    const key = { class_id: String(after.class_id), student_id: String(after.student_id) };
    if (!projected(key, after)) await rekey(key);
    return;
  }
  if (action !== "modify" || after?.[ENTITY] !== "assignment" || !before) return;
  if (before.max_points === after.max_points && before.state === after.state && before.deleted_at === after.deleted_at) return;
  await settleAssignment(String(after.assignment_id));
};
