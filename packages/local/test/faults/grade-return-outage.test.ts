/**
 * Faults (R3): DynamoDB goes away (stopped, its answer lost, the network frozen) while a
 * teacher returns graded work. A return is one transaction (the submission and the student's
 * standing); its notification follows from the table's stream. So a return the API refused
 * left nothing behind, and a return whose answer was lost (committed, then the connection
 * cut) is complete: retried after recovery, it succeeds, moves the standing once, and the
 * student gets one `grade.returned`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byEntity, scanTable } from "../security/table.ts";
import { giveBack, grade, notificationsOf, publishedAssignment, turnIn } from "./coursework.ts";
import { type FaultStack, type Person, classWith, request, startFaultStack } from "./fault-stack.ts";
import { courseworkViolations } from "./verify.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: FaultStack;
let klass: Awaited<ReturnType<typeof classWith>>;

beforeAll(async () => {
  stack = await startFaultStack("classroom-grade-faults", { notifierRetryDelaysMs: [500, 2_000] });
  klass = await classWith(stack, 4);
});

afterAll(async () => {
  await stack?.stop();
});

async function settle() {
  const t = Date.now();
  await stack.streams.drain();
  const s = Date.now();
  await stack.bus.drain();
  if (process.env.FAULT_TIMING) console.log(`settle: stream ${s - t} ms, bus ${Date.now() - s} ms`);
}

/** What a return may change, for these students: their submissions, standings, notifications and unread counters. */
async function gradingState(students: Person[]) {
  const ids = new Set(students.map((s) => s.sub));
  const items = await scanTable(stack.env);
  const pick = (entity: string, field: string) => byEntity(items, entity).filter((item) => ids.has(item[field]));
  return { submissions: pick("submission", "student_id"), standings: pick("standing", "student_id"), notifications: pick("notification", "user_id"), inboxes: pick("inbox", "user_id") };
}

async function recovery(): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answer = await request(stack, "GET", "/classes", klass.teacher.token, undefined, 10_000);
    if (answer.status === 200) return Date.now() - started;
    if (Date.now() - started > 30_000) throw new Error(`no recovery: ${answer.status} ${JSON.stringify(answer.body)}`);
    await sleep(200);
  }
}

async function standingOf(student: Person) {
  const answer = await request(stack, "GET", `/classes/${klass.class_id}/standing`, student.token);
  expect(answer.status).toBe(200);
  return { score: answer.body.score as number | null, count: answer.body.count as number };
}

async function gradeNotifications(student: Person, assignment_id: string) {
  return (await notificationsOf(stack, student)).notifications.filter((n) => n.kind === "grade.returned" && n.target.id === assignment_id);
}

/** Turned in and given a draft grade by the teacher, ready to be returned. */
async function graded(assignment_id: string, grades: Array<[Person, number]>) {
  for (const [student, points] of grades) {
    expect((await turnIn(stack, assignment_id, student)).status).toBe(200);
    expect((await grade(stack, assignment_id, student, klass.teacher, points)).status).toBe(200);
  }
}

describe("DynamoDB down during a grade return", () => {
  it("refuses the return with 503 while DynamoDB is stopped, writes nothing, and the retry after recovery counts once", async () => {
    const [ana] = klass.students as [Person];
    // Ana already has a returned grade (60 %), so this return adds to an existing standing.
    const earlier = await publishedAssignment(stack, klass.class_id, klass.teacher);
    await graded(earlier, [[ana, 60]]);
    expect((await giveBack(stack, earlier, ana, klass.teacher)).status).toBe(200);
    const work = await publishedAssignment(stack, klass.class_id, klass.teacher);
    await graded(work, [[ana, 80]]);
    await settle();
    const before = await gradingState([ana]);

    await stack.stopDynamo();
    const refused = await giveBack(stack, work, ana, klass.teacher);
    expect([refused.status, refused.body?.error?.code]).toEqual([503, "service.unavailable"]);
    expect(refused.ms).toBeLessThan(5_000);
    await stack.startDynamo();
    console.log(`DynamoDB back; the API recovered in ${await recovery()} ms`);
    await settle();
    // Nothing half-written: the submission, the standing, the notifications are as they were.
    expect(await gradingState([ana])).toEqual(before);
    expect(await standingOf(ana)).toEqual({ score: 60, count: 1 });

    const retried = await giveBack(stack, work, ana, klass.teacher);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: "returned", assigned_grade: 80 });
    await settle();
    expect(await standingOf(ana)).toEqual({ score: 70, count: 2 });
    expect(await gradeNotifications(ana, work)).toHaveLength(1);
    expect(await courseworkViolations(stack)).toEqual([]);
  });

  it("completes a return whose answer was lost after it committed: the retry succeeds once, one standing move, one notification", async () => {
    const ben = klass.students[1]!;
    const work = await publishedAssignment(stack, klass.class_id, klass.teacher);
    await graded(work, [[ben, 90]]);
    await settle();

    // DynamoDB carries out the transaction; the connection is cut before the API hears of it
    // (and again on the SDK's own retry, which finds the submission already changed).
    stack.loseAnswersTo("TransactWriteItems");
    const lost = await giveBack(stack, work, ben, klass.teacher);
    stack.loseAnswersTo(undefined);
    expect([lost.status, lost.body?.error?.code]).toEqual([503, "service.unavailable"]);
    const [submission] = (await gradingState([ben])).submissions.filter((s) => s.assignment_id === work);
    expect(submission).toMatchObject({ state: "returned", assigned_grade: 90 });

    // The teacher, told to try again, does.
    const retried = await giveBack(stack, work, ben, klass.teacher);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: "returned", assigned_grade: 90 });
    await settle();
    expect(await standingOf(ben)).toEqual({ score: 90, count: 1 });
    expect(await gradeNotifications(ben, work)).toHaveLength(1);
    expect(await courseworkViolations(stack)).toEqual([]);
  });

  it("keeps every return all-or-nothing when the network to DynamoDB freezes in the middle of a burst of returns", async () => {
    const students = klass.students.slice(2);
    const work = await publishedAssignment(stack, klass.class_id, klass.teacher, 40);
    await graded(work, students.map((s, i) => [s, 20 + 7 * i] as [Person, number]));
    await settle();

    // Frozen (connections open, no byte moves) while the returns are on their way: the API
    // gives up on each within its timeouts, and a request already sent may still land when
    // traffic flows again, after its 503.
    const answers = students.map((student, i) => sleep(i * 40).then(() => giveBack(stack, work, student, klass.teacher)));
    await sleep(50);
    stack.freeze();
    const first = await Promise.all(answers);
    stack.thaw();
    await recovery();
    for (const answer of first) {
      expect([200, 503], JSON.stringify(answer.body)).toContain(answer.status);
      if (answer.status === 503) expect(answer.body.error.code).toBe("service.unavailable");
      expect(answer.ms).toBeLessThan(15_000);
    }
    console.log(`returns answered while the network to DynamoDB was frozen: ${first.map((a) => a.status).join(", ")}`);
    // Every refused return is retried; whatever state each was in, the retry completes it.
    for (const [i, student] of students.entries()) {
      if (first[i]!.status === 200) continue;
      expect((await giveBack(stack, work, student, klass.teacher)).status).toBe(200);
    }
    await settle();
    for (const [i, student] of students.entries()) {
      expect(await gradeNotifications(student, work), student.email).toHaveLength(1);
      expect((await standingOf(student)).count).toBe(1);
      expect((await standingOf(student)).score).toBe(Math.round(((20 + 7 * i) / 40) * 10_000) / 100);
    }
    expect(await courseworkViolations(stack)).toEqual([]);
    expect(stack.bus.deadLetters).toEqual([]);
    console.log(stack.logs.summary());
    expect(stack.logs.unexpected()).toEqual([]);
  });
});
