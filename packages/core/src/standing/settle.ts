/**
 * Settling an assignment: after a change of the assignment itself (points, publishing,
 * deleting), brings what each of its submissions counts for in its student's standing up to
 * date, one student per transaction. A class may have more students than a transaction has
 * items, so this cannot be one transaction; instead it is exactly-once per (assignment,
 * student), whoever runs it and however often:
 *
 * - The assignment change commits first. From then on every writer that sets a submission's
 *   `counted` computes it under the new assignment (each is conditioned on the points, state
 *   and deletion it read), so no stale contribution can be written after it.
 * - Each settling transaction replaces ONE submission's `counted` by its contribution under
 *   the assignment as read and adds the difference to the standing (ledger.ts), conditioned
 *   on the submission's version and the assignment's points, state and deletion as read. If
 *   either changed, it reads again; a submission already right is skipped.
 *   So running it twice, or concurrently (the request and the stream consumer), moves each
 *   standing once: the second run finds `counted` already right.
 * - It runs inline, before the change's request answers, and again from the table's stream
 *   (`consume` in index.ts), which retries until it succeeds: a request that dies half way
 *   is finished there.
 *
 * What a reader may briefly see: while an assignment is being settled (milliseconds per
 * student, or until the stream consumer runs if the request died), a student not reached yet
 * still has the assignment counted as it was before the change: deleted work still in their
 * average, or old points. Every standing is always the exact sum of what its submissions
 * count for, never a half-applied or doubly applied change; the gradebook, which reads the
 * submissions and assignments themselves, shows the change at once.
 */
import { attempts, contended } from "../dynamo-errors.ts";
import { db } from "../table.ts";
import { type ScoredAssignment, type StoredStanding, type Transaction, contribution, moveStanding, readStanding, rekey } from "./ledger.ts";

/** How many students are settled at once. */
const SETTLE_WIDTH = 8;

type Db = ReturnType<typeof db>;
type StoredSubmission = NonNullable<Awaited<ReturnType<ReturnType<Db["entities"]["submission"]["get"]>["go"]>>["data"]>;
type StoredAssignment = NonNullable<Awaited<ReturnType<ReturnType<Db["entities"]["assignment"]["get"]>["go"]>>["data"]>;

async function readAssignment(assignment_id: string): Promise<StoredAssignment | undefined> {
  const { data } = await db().entities.assignment.get({ assignment_id }).go({ consistent: true });
  return data ?? undefined;
}

/** The transaction's condition that the assignment still scores as read. */
const scoredAsRead = (tx: Transaction, assignment: StoredAssignment) =>
  tx.assignment
    .check({ assignment_id: assignment.assignment_id })
    .where((attr, op) =>
      [
        assignment.deleted_at === undefined ? op.notExists(attr.deleted_at) : op.exists(attr.deleted_at),
        assignment.max_points === undefined ? op.notExists(attr.max_points) : op.eq(attr.max_points, assignment.max_points),
        op.eq(attr.state, assignment.state),
      ].join(" AND "),
    )
    .commit();

/**
 * Settles every submission of the assignment. Returns how many standings it moved. Safe to
 * run any number of times, concurrently, at any moment (see above).
 */
export async function settleAssignment(assignment_id: string): Promise<number> {
  const assignment = await readAssignment(assignment_id);
  if (!assignment) return 0;
  const { data } = await db()
    .entities.submission.query.byClass({ class_id: assignment.class_id, assignment_id })
    .go({ pages: "all", consistent: true });
  const stale = data.filter((s) => s.counted !== contribution(s, assignment));
  let moved = 0;
  for (let i = 0; i < stale.length; i += SETTLE_WIDTH) {
    const settled = await Promise.all(stale.slice(i, i + SETTLE_WIDTH).map((s) => settleOne(s, assignment)));
    moved += settled.filter(Boolean).length;
  }
  return moved;
}

/** Settles one submission; true when it moved the standing. */
async function settleOne(first: StoredSubmission, firstAssignment: StoredAssignment): Promise<boolean> {
  const key = { class_id: first.class_id, assignment_id: first.assignment_id, student_id: first.student_id };
  const standingKey = { class_id: key.class_id, student_id: key.student_id };
  let item: StoredSubmission | undefined = first;
  let assignment: StoredAssignment | undefined = firstAssignment;
  for await (const attempt of attempts()) {
    if (attempt > 0) {
      [item, assignment] = await Promise.all([
        db().entities.submission.get(key).go({ consistent: true }).then((r) => r.data ?? undefined),
        readAssignment(key.assignment_id),
      ]);
    }
    if (!item || !assignment) return false;
    const counted = contribution(item, assignment as ScoredAssignment);
    if (counted === item.counted) return false;
    const [standing, member] = await Promise.all([readStanding(standingKey), readMember(standingKey)]);
    const now = new Date().toISOString();
    const version = item.version;
    const result = await db()
      .transaction.write((tx) => {
        const write = tx.submission.update(key);
        const changed = counted === undefined ? write.remove(["counted"]) : write.set({ counted });
        return [
          changed
            .add({ version: 1 })
            .where((attr, op) => op.eq(attr.version, version))
            .commit(),
          scoredAsRead(tx, assignment!),
          ...newcomerCheck(tx, standing, standingKey, member),
          moveStanding(tx, standingKey, standing, { from: item!.counted, to: counted }, { name: member?.user_name ?? key.student_id, active: member?.role === "student" }, now)!,
        ];
      })
      .go();
    if (!result.canceled) {
      await rekey(standingKey);
      return true;
    }
    // The submission, the assignment, the membership or the standing changed meanwhile: read again.
  }
  throw contended("standing");
}

type Member = NonNullable<Awaited<ReturnType<ReturnType<Db["entities"]["membership"]["get"]>["go"]>>["data"]>;

async function readMember(key: { class_id: string; student_id: string }): Promise<Member | undefined> {
  const { data } = await db().entities.membership.get({ class_id: key.class_id, user_id: key.student_id }).go({ consistent: true });
  return data ?? undefined;
}

/**
 * A standing created here takes its name and whether it is in the indexes from the membership
 * as read, so the transaction is conditioned on that membership (a student's or not). An
 * existing standing already says so (membership changes update it in their own transaction).
 */
function newcomerCheck(tx: Transaction, standing: StoredStanding | undefined, key: { class_id: string; student_id: string }, member: Member | undefined) {
  if (standing) return [];
  const membership = tx.membership.check({ class_id: key.class_id, user_id: key.student_id });
  return [
    (member?.role === "student"
      ? membership.where((attr, op) => `${op.eq(attr.role, "student")} AND ${op.eq(attr.user_name, member.user_name)}`)
      : membership.where((attr, op) => `${op.notExists(attr.role)} OR ${op.ne(attr.role, "student")}`)
    ).commit(),
  ];
}
