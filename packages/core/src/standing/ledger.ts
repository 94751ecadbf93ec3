/**
 * The standings' ledger: what a submission contributes to its student's standing, and the
 * writes that keep a standing equal to the sum of its contributions.
 *
 * A submission counts when it is returned with an assigned grade, on a live, published
 * assignment worth more than 0 points. It contributes its percentage in millionths of a
 * percent, an integer, so running sums are exact whatever the order of additions. The
 * submission item records what it currently contributes (`counted`), and every change of
 * `counted` is written in ONE transaction with an ADD of the difference to the standing:
 *
 *   standing.sum = Σ counted, standing.count = #counted   (over the student's submissions)
 *
 * holds after every committed transaction. The ADD carries no condition on the standing's
 * values (only that it exists; the first contribution creates it), so concurrent returns of
 * different assignments for one student all apply; each submission's own version condition
 * serializes changes of that submission.
 *
 * The standing's score and index keys are a projection of (sum, count, active, student_name):
 * `rekey` writes them right after each change, conditioned on exactly the values it derived
 * them from. Whoever changes those values rekeys afterwards, so the last change's rekey
 * always lands, and an earlier one that lost the race can simply stop; a writer that dies in
 * between is covered by the table's stream (index.ts `consume`), which rekeys any standing
 * whose keys do not match its values. So between a change and its rekey (milliseconds) the
 * indexes show the student's previous score, which is what any GSI reader must expect anyway;
 * the exact figures, read from `sum` and `count`, never lag.
 *
 * Writers that change a submission (turn in, reclaim, grade, return) set `counted` to its
 * contribution under the assignment they condition on. Changes of the assignment itself
 * (points, publishing, deleting) touch no submission in their own transaction (a class can
 * have more students than a transaction has items); `settle.ts` then brings each `counted`
 * up to date, one student per transaction.
 */
import { isConditionFailure } from "../dynamo-errors.ts";
import { db } from "../table.ts";
import { TOP_PERFORMER_SCORE } from "../limits.ts";

/** Contributions are kept in millionths of a percent. */
export const UNITS_PER_PERCENT = 1_000_000;
/** Hundredths of a percent in 100 %: scores are stored to 2 decimals. */
const FULL_SCORE = 10_000;

export interface CountedSubmission {
  state: string;
  assigned_grade?: number | undefined;
}
export interface ScoredAssignment {
  max_points?: number | undefined;
  state: string;
  deleted_at?: string | undefined;
}

/** What a submission contributes to its student's standing; undefined when it does not count. */
export function contribution(submission: CountedSubmission | undefined, assignment: ScoredAssignment | undefined): number | undefined {
  if (!submission || !assignment || assignment.deleted_at !== undefined || assignment.state !== "published") return undefined;
  const max = assignment.max_points;
  if (submission.state !== "returned" || submission.assigned_grade === undefined || max === undefined || max <= 0) return undefined;
  const cents = Math.round(submission.assigned_grade * 100);
  return Math.round((cents * UNITS_PER_PERCENT) / max);
}

/** The average of `count` contributions summing to `sum`, in hundredths of a percent. */
export function hundredths(sum: number, count: number): number {
  return Math.min(FULL_SCORE, Math.max(0, Math.round(sum / (count * 10_000))));
}

/** The average in percent, 2 decimals. */
export const scoreOf = (sum: number, count: number) => hundredths(sum, count) / 100;

/** Whether a score (percent) puts a student among the top performers: strictly above the threshold. */
export const isTopPerformer = (score: number) => Math.round(score * 100) > TOP_PERFORMER_SCORE * 100;

const SEPARATOR = "\u0001";

/**
 * The ranking indexes' sort key: the score's complement, zero-padded so that string order is
 * numeric order (ascending key = descending score), then the name (ties by name) and the id.
 * The separator sorts below any character of a name, so "Ana" comes before "Ana Z".
 */
export function rankKey(score: number, name: string, student_id: string): string {
  return [scoreKey(score), nameKey(name), student_id].join(SEPARATOR);
}

/** The key prefix of a score: every key with a higher score sorts below it. */
export const scoreKey = (score: number) => String(FULL_SCORE - Math.round(score * 100)).padStart(5, "0");

/** How names order among equal scores (case-insensitive, control characters dropped). */
export const nameKey = (name: string) => name.trim().toLowerCase().replace(/[\u0000-\u001f]/g, "");

// ---------------------------------------------------------------------------------------------
// Writes

type Db = ReturnType<typeof db>;
export type Transaction = Parameters<Parameters<Db["transaction"]["write"]>[0]>[0];
export type StoredStanding = NonNullable<Awaited<ReturnType<ReturnType<Db["entities"]["standing"]["get"]>["go"]>>["data"]>;

interface Key {
  class_id: string;
  student_id: string;
}

/** A standing as stored now (strongly consistent); undefined when the student has none. */
export async function readStanding(key: Key): Promise<StoredStanding | undefined> {
  const { data } = await db().entities.standing.get(key).go({ consistent: true });
  return data ?? undefined;
}

/** The exact score of a standing as read (percent, 2 decimals); null without graded work. */
export const exactScore = (standing: StoredStanding | undefined) => (standing && standing.count > 0 ? scoreOf(standing.sum, standing.count) : null);

const KEY_FIELDS = ["rank_pk", "rank_sk", "top_pk", "top_sk"] as const;

/** The projection of a standing's values: its score and the index keys it should carry. */
function projection(key: Key, values: { sum: number; count: number; active: boolean; student_name: string }) {
  const score = scoreOf(values.sum, values.count);
  const ranked = values.active ? { rank_pk: key.class_id, rank_sk: rankKey(score, values.student_name, key.student_id) } : undefined;
  const top = ranked && isTopPerformer(score) ? { top_pk: key.class_id, top_sk: ranked.rank_sk } : undefined;
  const keys: Partial<Record<(typeof KEY_FIELDS)[number], string>> = { ...ranked, ...top };
  return { score, keys };
}

/** Whether a stored standing (or a stream image of one) carries the projection of its own values. */
export function projected(key: Key, item: Record<string, unknown>): boolean {
  if (typeof item.sum !== "number" || typeof item.count !== "number" || typeof item.active !== "boolean" || typeof item.student_name !== "string") return false;
  if (item.count === 0) return false;
  const { score, keys } = projection(key, { sum: item.sum, count: item.count, active: item.active, student_name: item.student_name });
  return item.score === score && KEY_FIELDS.every((field) => item[field] === keys[field]);
}

type Where = Parameters<ReturnType<Transaction["standing"]["check"]>["where"]>[0];

/** The condition that the standing still has the values a projection was derived from. */
const sameValues =
  (current: StoredStanding): Where =>
  (attr, op) =>
    [
      op.eq(attr.sum, current.sum),
      op.eq(attr.count, current.count),
      op.eq(attr.active, current.active),
      op.eq(attr.student_name, current.student_name),
    ].join(" AND ");

const ignoreConditionFailure = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

/**
 * Brings a standing's score and index keys up to its values, or deletes it once its count is
 * 0. Conditioned on the values it read: if they changed meanwhile, whoever changed them
 * rekeys after their change, so this one stops (see above).
 */
export async function rekey(key: Key): Promise<void> {
  const current = await readStanding(key);
  if (!current) return;
  if (current.count === 0) {
    await db()
      .entities.standing.delete(key)
      .where((attr, op) => `${op.eq(attr.count, 0)} AND ${op.eq(attr.sum, 0)}`)
      .go()
      .catch(ignoreConditionFailure);
    return;
  }
  if (projected(key, current)) return;
  const { score, keys } = projection(key, current);
  const absent = KEY_FIELDS.filter((field) => keys[field] === undefined);
  const update = db().entities.standing.update(key).set({ score, ...keys });
  await (absent.length > 0 ? update.remove(absent) : update).where(sameValues(current)).go().catch(ignoreConditionFailure);
}

/** Who the student is, for a standing that does not exist yet. */
export interface Newcomer {
  name: string;
  /** Whether they are a student of the class (conditioned on by the same transaction). */
  active: boolean;
}

/**
 * The transaction item that replaces one contribution of a student, `from` → `to` (each
 * undefined when not counted), given the standing as read; undefined when nothing changes.
 * An ADD of the difference when the standing exists (applies whatever else was added
 * meanwhile); a create at the first contribution (fails, and the caller reads again, if a
 * concurrent first contribution created it). `rekey` after the transaction commits.
 */
export function moveStanding(
  tx: Transaction,
  key: Key,
  current: StoredStanding | undefined,
  change: { from: number | undefined; to: number | undefined },
  newcomer: Newcomer,
  now: string,
) {
  if (change.from === change.to) return undefined;
  const sum = (change.to ?? 0) - (change.from ?? 0);
  const count = (change.to === undefined ? 0 : 1) - (change.from === undefined ? 0 : 1);
  if (current) {
    return tx.standing
      .update(key)
      .add({ sum, count })
      .set({ updated_at: now })
      .where((attr, op) => op.exists(attr.sum))
      .commit();
  }
  // Counted work with no standing was read mid-change: fail, and read again.
  if (change.from !== undefined) return tx.standing.check(key).where((attr, op) => op.exists(attr.sum)).commit();
  return tx.standing.create({ ...key, student_name: newcomer.name, active: newcomer.active, sum, count, updated_at: now }).commit();
}

/**
 * For a transaction that makes someone a student of the class (`active`) or not (removed,
 * or made a teacher): their standing's item, given the standing as read. A standing leaves
 * both indexes at once while its student is not in the class, and comes back (under the name
 * of the new membership) with the `rekey` after the transaction; its sums stay right
 * meanwhile. Absent as read: conditioned on staying absent, so no standing of the other kind
 * appears underneath.
 */
export function membershipStanding(tx: Transaction, key: Key, current: StoredStanding | undefined, student: { active: boolean; name: string }, now: string) {
  if (!current) return tx.standing.check(key).where((attr, op) => op.notExists(attr.sum)).commit();
  if (!student.active) {
    return tx.standing
      .update(key)
      .set({ active: false, updated_at: now })
      .remove([...KEY_FIELDS])
      .where((attr, op) => op.exists(attr.sum))
      .commit();
  }
  return tx.standing
    .update(key)
    .set({ active: true, student_name: student.name, updated_at: now })
    .where((attr, op) => op.exists(attr.sum))
    .commit();
}
