/**
 * Notification latency, end to end on the local stack: from the teacher's "return" call to
 * the student's first poll that shows the new notification. The path is the real one: the
 * return's write → DynamoDB Local's stream → the local stream poller (default interval) →
 * the stream handler → PutEvents on the local bus → the rule → the notifier → the student's
 * inbox. The student polls the shell summary every 100 ms (the web app polls every 3 s; the
 * figure here is the pipeline's, not the poll interval's).
 */
import type { Api } from "./http.ts";
import { Recorder } from "./stats.ts";
import { type StackInfo, makeClass, makeUsers } from "./world.ts";

export interface NotificationLatency {
  returns: number;
  p50: number;
  p95: number;
  max: number;
  missed: number;
  target: number;
}

const POLL_MS = 100;
const GIVE_UP_MS = 15_000;

export async function notificationLatency(api: Api, stack: StackInfo, returns: number): Promise<NotificationLatency> {
  const [teacher, student] = (await makeUsers(stack, 2)) as [Awaited<ReturnType<typeof makeUsers>>[number], Awaited<ReturnType<typeof makeUsers>>[number]];
  const class_id = await makeClass(teacher, [student], "Notification latency");
  const assignment = await api.rest("POST", `/classes/${class_id}/assignments`, teacher.token, { title: "Weekly quiz", max_points: 1000, state: "published" });
  if (assignment.status !== 201) throw new Error(`assignment: ${JSON.stringify(assignment.body)}`);
  const { assignment_id } = assignment.body as { assignment_id: string };
  await api.rest("POST", `/assignments/${assignment_id}/turn-in`, student.token, { text: "done" });
  const submission = `${assignment_id}_${student.actor.userId}`;
  const unread = async () => ((await api.rest("GET", "/notifications/summary", student.token)).body as { unread_notifications: number }).unread_notifications;

  // Let the notifications of the set-up (added to the class, a new assignment) arrive first.
  let before = -1;
  for (let stable = 0; stable < 10; ) {
    const now = await unread();
    stable = now === before ? stable + 1 : 0;
    before = now;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  const samples: number[] = [];
  const recorder = new Recorder();
  let missed = 0;
  /**
   * A teacher's write, waiting out the per-person write limit (429) as a client would: a quick
   * run of returns is more than a teacher's budget of changes. Answers when the write was made.
   */
  const teacherWrite = async (method: string, path: string, body?: unknown): Promise<number> => {
    for (let attempt = 0; attempt < 60; attempt++) {
      const at = performance.now();
      const reply = await api.rest(method, path, teacher.token, body);
      if (reply.status === 200) return at;
      if (reply.status !== 429) throw new Error(`${method} ${path}: ${JSON.stringify(reply.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error(`${method} ${path}: still rate limited after a minute`);
  };

  for (let i = 1; i <= returns; i++) {
    // Each return assigns a new grade, so each is a new "grade returned" event.
    await teacherWrite("PUT", `/submissions/${submission}/grade`, { draft_grade: i });
    const started = await teacherWrite("POST", `/submissions/${submission}/return`);
    for (;;) {
      const count = await unread();
      const elapsed = performance.now() - started;
      if (count > before) {
        samples.push(elapsed);
        recorder.add(elapsed);
        before = count;
        break;
      }
      if (elapsed > GIVE_UP_MS) {
        missed++;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  const { p50, p95 } = recorder.summary();
  return { returns, p50, p95, max: Math.round(Math.max(0, ...samples)), missed, target: 1500 };
}
