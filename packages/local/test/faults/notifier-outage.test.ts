/**
 * Faults (R4): the notifier is down. Events keep being published (the stream consumer and the
 * bus are up); every invocation of the notifier fails, and the bus retries it on Lambda's
 * schedule for asynchronous invocations: again after about a minute, then after two more,
 * then the dead-letter queue (infra/events.ts). Here "a minute" is NOTIFIER_OUTAGE_MS (default
 * 5 s) and the retries wait the same multiples of it (1×, 2×), so an outage of that length
 * stands for "the notifier down for a minute" against the real schedule, in a fraction of
 * the time.
 *
 * - Down for "a minute": everything published meanwhile is delivered once it is back,
 *   exactly once per (event, recipient), nothing dead-lettered.
 * - Down for longer than the whole retry schedule: the events are dead-lettered, none is
 *   lost; replaying the dead letters (twice) delivers each exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler as notifier } from "@classroom/api/lambda/notifier";
import { giveBack, grade, notificationsOf, publishedAssignment, turnIn } from "./coursework.ts";
import { type FaultStack, type Person, classWith, person, request, startFaultStack } from "./fault-stack.ts";
import { courseworkViolations } from "./verify.ts";

const OUTAGE_MS = Number(process.env.NOTIFIER_OUTAGE_MS ?? 5_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: FaultStack;
let klass: Awaited<ReturnType<typeof classWith>>;

beforeAll(async () => {
  stack = await startFaultStack("classroom-notifier-faults", { notifierRetryDelaysMs: [OUTAGE_MS, 2 * OUTAGE_MS] });
  klass = await classWith(stack, 3);
});

afterAll(async () => {
  stack?.notifierDown(false);
  await stack?.stop();
});

async function settle() {
  await stack.streams.drain();
  await stack.bus.drain();
}

/** How many notifications of this kind about this target a person has. */
async function count(who: Person, kind: string, target: string) {
  return (await notificationsOf(stack, who)).notifications.filter((n) => n.kind === kind && n.target.id === target).length;
}

describe("notifier outage", () => {
  it(`delivers everything published while the notifier was down for ${OUTAGE_MS} ms ("a minute"), exactly once each`, { timeout: 60_000 + 6 * OUTAGE_MS }, async () => {
    const { teacher, class_id } = klass;
    const [ana, ben, cleo] = klass.students as [Person, Person, Person];
    const work = await publishedAssignment(stack, class_id, teacher);
    expect((await turnIn(stack, work, ben)).status).toBe(200);
    expect((await grade(stack, work, ben, teacher, 77)).status).toBe(200);
    const newcomer = await person(stack, "Dana Newcomer");
    await request(stack, "GET", "/classes", newcomer.token);
    await settle();
    const failedBefore = stack.invocations.filter((i) => i.failed).length;

    stack.notifierDown(true);
    const down = Date.now();
    const announcement = await request(stack, "POST", `/classes/${class_id}/posts`, teacher.token, { content: "Field trip on Friday", kind: "announcement" });
    expect(announcement.status).toBe(201);
    const post_id = announcement.body.post_id as string;
    expect((await request(stack, "POST", `/posts/${post_id}/comments`, ana.token, { content: "Do we bring lunch?" })).status).toBe(201);
    expect((await giveBack(stack, work, ben, teacher)).status).toBe(200);
    const mention = await request(stack, "POST", "/chat/messages", cleo.token, { class_id, content: "No, @Student 0, lunch is provided" });
    expect(mention.status).toBe(201);
    expect((await request(stack, "POST", `/classes/${class_id}/members`, teacher.token, { email: newcomer.email, role: "student" })).status).toBe(201);
    await stack.streams.drain();
    // Really down: published, attempted, nothing delivered.
    expect(await count(ana, "announcement.posted", post_id)).toBe(0);
    expect(stack.invocations.filter((i) => i.failed).length - failedBefore).toBeGreaterThanOrEqual(5);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
    stack.notifierDown(false);
    const back = Date.now();
    // The earliest event's last retry comes 3 outage-lengths after its first attempt: a longer outage (a very slow machine) would dead-letter it.
    expect(back - down, "the outage outlasted the retry schedule: raise NOTIFIER_OUTAGE_MS").toBeLessThan(3 * OUTAGE_MS);

    await settle();
    const caughtUp = Date.now() - back;
    const attempts = stack.invocations.filter((i) => i.failed).length - failedBefore;
    console.log(JSON.stringify({ outageMs: back - down, caughtUpMs: caughtUp, failedInvocations: attempts, deadLetters: stack.bus.deadLetters.length }));
    expect(stack.bus.deadLetters).toEqual([]);
    // Exactly once per (event, recipient), to exactly the people concerned.
    for (const student of [ana, ben, cleo]) expect(await count(student, "announcement.posted", post_id), student.email).toBe(1);
    expect(await count(teacher, "announcement.posted", post_id)).toBe(0);
    expect(await count(teacher, "comment.created", post_id)).toBe(1);
    expect(await count(ben, "grade.returned", work)).toBe(1);
    expect(await count(ana, "chat.mentioned", mention.body.message_id)).toBe(1);
    expect(await count(newcomer, "member.added", class_id)).toBe(1);
    for (const who of [teacher, ana, ben, cleo, newcomer]) {
      const mine = await notificationsOf(stack, who);
      expect(mine.unread, who.email).toBe(mine.notifications.filter((n) => !n.read).length);
    }
    // Delivered on the bus's retries, which end within 3 outage-lengths of the outage's start.
    expect(caughtUp).toBeLessThan(2 * OUTAGE_MS + 10_000);
    expect(await courseworkViolations(stack)).toEqual([]);
  });

  it("dead-letters what outlasts the retry schedule, loses none of it, and a replay of the dead letters delivers each exactly once", { timeout: 60_000 + 6 * OUTAGE_MS }, async () => {
    const { teacher, class_id } = klass;
    await settle();
    stack.notifierDown(true);
    const announcement = await request(stack, "POST", `/classes/${class_id}/posts`, teacher.token, { content: "Exam moved to Monday", kind: "announcement" });
    expect(announcement.status).toBe(201);
    const post_id = announcement.body.post_id as string;
    // Every attempt fails (at once, after 1×, after 3× the outage unit): the bus gives up.
    await settle();
    stack.notifierDown(false);
    const dead = stack.bus.deadLetters.filter((d) => (d.event.detail as { post_id?: string }).post_id === post_id);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rule).toBe("class-activity");
    for (const student of klass.students) expect(await count(student, "announcement.posted", post_id)).toBe(0);

    // Replaying the dead-letter queue (an operator's redrive) is at-least-once too: twice here.
    for (let round = 0; round < 2; round++) for (const letter of dead) await notifier(letter.event as never);
    for (const student of klass.students) expect(await count(student, "announcement.posted", post_id), student.email).toBe(1);
    expect(await courseworkViolations(stack)).toEqual([]);
    console.log(stack.logs.summary());
    expect(stack.logs.unexpected()).toEqual([]);
  });
});
