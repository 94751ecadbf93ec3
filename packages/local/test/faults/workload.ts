/**
 * A mixed workload over real HTTP (every operation, many users, bounded concurrency) that keeps
 * a ledger: every message send carries a client-chosen id, is retried with the same id until
 * acknowledged, and every answer is tallied by phase (so a test can say what it expects while
 * the database is down and while it is up).
 */
import * as File from "@classroom/core/file";
import { randomUUID } from "node:crypto";
import { sendForm, submissionId } from "./coursework.ts";
import { type Answer, type FaultStack, type Person, request } from "./fault-stack.ts";

export interface LoadClass {
  class_id: string;
  teacher: Person;
  students: Person[];
}

interface Send {
  class_id: string;
  content: string;
  author: Person;
  acked: boolean;
}

export interface Tally {
  requests: number;
  statuses: Record<string, number>;
  /** Answers that are neither 2xx/4xx nor the documented 503s. */
  unexpected: Array<{ what: string; status: number; body: unknown }>;
  slowestMs: number;
}

export interface Workload {
  phase(name: string): void;
  tallies: Map<string, Tally>;
  sends: Map<string, Send>;
  stop(): Promise<void>;
  /** Retries every unacknowledged send with its own id until the API acknowledges it. */
  settle(): Promise<void>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const trpcQuery = (path: string, input: unknown) => `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

export interface WorkloadOptions {
  workers: number;
  deadlineMs?: number;
  /**
   * Also coursework, files and notifications: assignments (created, points raised), turn-ins
   * and reclaims, draft grades, regrades and returns, standings and rankings read, uploads
   * (completed, abandoned, or of the wrong size) attached to posts, downloads, announcements,
   * @mentions, and notification polls and reads.
   */
  coursework?: boolean;
}

interface Upload {
  file_id: string;
  owner: Person;
  size: number;
  ready: boolean;
}

export function startWorkload(stack: FaultStack, classes: LoadClass[], options: WorkloadOptions): Workload {
  const tallies = new Map<string, Tally>();
  const sends = new Map<string, Send>();
  const messages = new Map<string, string[]>(classes.map((c) => [c.class_id, []]));
  const posts = new Map<string, string[]>(classes.map((c) => [c.class_id, []]));
  const comments = new Map<string, Array<{ id: string; author: string }>>();
  const assignments = new Map<string, Array<{ id: string; max: number }>>(classes.map((c) => [c.class_id, []]));
  const uploads = new Map<string, Upload[]>(classes.map((c) => [c.class_id, []]));
  /** Work a teacher gave a draft grade, to return (most returns are of graded work). */
  /** Work each student turned in once already (turning in returned work again takes it out of the standing). */
  const turnedIn = new Set<string>();
  const drafted = new Map<string, Array<{ assignment_id: string; student: Person }>>(classes.map((c) => [c.class_id, []]));
  let phase = "start";
  let running = true;

  const record = (what: string, answer: Answer) => {
    let tally = tallies.get(phase);
    if (!tally) tallies.set(phase, (tally = { requests: 0, statuses: {}, unexpected: [], slowestMs: 0 }));
    tally.requests++;
    const code = answer.status >= 400 ? `${answer.status} ${answer.body?.error?.code ?? answer.body?.error?.json?.data?.appCode ?? ""}` : String(answer.status);
    tally.statuses[code] = (tally.statuses[code] ?? 0) + 1;
    tally.slowestMs = Math.max(tally.slowestMs, answer.ms);
    const documented503 = answer.status === 503 && /service\.unavailable|write\.contended/.test(code);
    if (answer.status === 0 || (answer.status >= 500 && !documented503)) tally.unexpected.push({ what, status: answer.status, body: answer.body });
    return answer;
  };
  const call = async (what: string, method: string, path: string, token: string, body?: unknown) =>
    record(what, await request(stack, method, path, token, body, options.deadlineMs));

  async function send(id: string) {
    const s = sends.get(id)!;
    const answer = await call("send", "POST", "/chat/messages", s.author.token, { class_id: s.class_id, content: s.content, message_id: id });
    if (answer.status === 201) {
      if (answer.body.message_id !== id) throw new Error(`acknowledged under another id: ${JSON.stringify(answer.body)}`);
      if (!s.acked) messages.get(s.class_id)!.push(id);
      s.acked = true;
    }
  }

  /** A call into core (attaching files has no route of its own yet), tallied like an answer. */
  async function direct(what: string, run: () => Promise<unknown>, refused: (code: string) => boolean) {
    const started = Date.now();
    try {
      await run();
      return record(what, { status: 200, body: {}, ms: Date.now() - started });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      const status = /service\.unavailable|write\.contended/.test(code) ? 503 : refused(code) ? (code.endsWith("not_found") ? 404 : 409) : 500;
      return record(what, { status, body: { error: { code, message: (error as Error).message } }, ms: Date.now() - started });
    }
  }

  async function upload(klass: LoadClass, who: Person, purpose: "material" | "submission" | "post") {
    const size = 10 + Math.floor(Math.random() * 4000);
    const created = await call("upload", "POST", "/files", who.token, { class_id: klass.class_id, purpose, filename: "work.pdf", content_type: "application/pdf", size });
    if (created.status !== 201) return;
    const kind = Math.random();
    // Some uploads send other bytes than declared (refused on complete), some are abandoned.
    const bytes = Buffer.alloc(kind < 0.1 ? size + 1 : size, 7);
    if ((await sendForm(created.body.upload, bytes)) !== 204) return;
    const mine: Upload = { file_id: created.body.file_id, owner: who, size, ready: false };
    uploads.get(klass.class_id)!.push(mine);
    if (kind > 0.9) return;
    const completed = await call("complete", "POST", `/files/${mine.file_id}/complete`, who.token);
    mine.ready = completed.status === 200;
    if (!mine.ready || purpose !== "post") return;
    const post = await call("post", "POST", `/classes/${klass.class_id}/posts`, who.token, { content: "a post with a file" });
    if (post.status !== 201) return;
    posts.get(klass.class_id)!.push(post.body.post_id);
    const actor = { userId: who.sub, name: "" };
    await direct("attach", () => File.attach([mine.file_id], { class_id: klass.class_id, purpose, actor, parent: { type: "post", id: post.body.post_id } }), () => false);
    // Someone's upload that was never completed cannot be attached.
    const pending = uploads.get(klass.class_id)!.find((u) => !u.ready && u.owner === who);
    if (pending) {
      const attached = await direct("attach pending", () => File.attach([pending.file_id], { class_id: klass.class_id, purpose, actor, parent: { type: "post", id: post.body.post_id } }), (code) => code === "file.not_ready" || code === "file.not_found");
      if (attached.status === 200) attached.status = 500;
    }
  }

  async function courseworkStep(klass: LoadClass, who: Person) {
    const roll = Math.random();
    const work = assignments.get(klass.class_id)!;
    const files = uploads.get(klass.class_id)!;
    const some = work.length > 0 ? pick(work) : undefined;
    if (roll < 0.12) {
      const summary = Math.random() < 0.5;
      if (summary) return call("notifications", "GET", "/notifications/summary", who.token);
      const list = await call("notifications", "GET", "/notifications?limit=20", who.token);
      if (list.status === 200 && list.body.unread > 0 && Math.random() < 0.3) {
        const first = list.body.notifications[0];
        return Math.random() < 0.5 && first
          ? call("read", "POST", "/notifications/read", who.token, { ids: [first.notification_id] })
          : call("read", "POST", "/notifications/read", who.token, { all: true });
      }
      return;
    }
    if (roll < 0.2 && files.some((f) => f.ready)) {
      const file = pick(files.filter((f) => f.ready));
      const link = await call("download", "GET", `/files/${file.file_id}`, who.token);
      if (link.status === 200 && Math.random() < 0.3) {
        const bytes = await fetch(link.body.url).then((r) => r.arrayBuffer(), () => undefined);
        if (bytes && bytes.byteLength !== file.size) record("download", { status: 500, body: `downloaded ${bytes.byteLength} bytes of ${file.size}`, ms: 0 });
      }
      return;
    }
    if (who === klass.teacher) {
      const student = pick(klass.students);
      if (!some || (roll < 0.28 && work.length < 4)) {
        const max = pick([20, 50, 100]);
        const created = await call("assignment", "POST", `/classes/${klass.class_id}/assignments`, who.token, { title: "Homework", max_points: max, state: "published" });
        if (created.status === 201) work.push({ id: created.body.assignment_id, max });
        return;
      }
      const points = () => Math.round(Math.random() * some.max * 2) / 2;
      const toReturn = drafted.get(klass.class_id)!;
      if (roll < 0.5) {
        const graded = await call("grade", "PUT", `/submissions/${submissionId(some.id, student)}/grade`, who.token, { draft_grade: points() });
        if (graded.status === 200) toReturn.push({ assignment_id: some.id, student });
        return;
      }
      if (roll < 0.7) {
        const next = Math.random() < 0.8 ? toReturn.shift() : undefined;
        const [assignment_id, whose] = next ? [next.assignment_id, next.student] : [some.id, student];
        return call("return", "POST", `/submissions/${submissionId(assignment_id, whose)}/return`, who.token);
      }
      if (roll < 0.75) return call("regrade", "PUT", `/submissions/${submissionId(some.id, student)}/grade`, who.token, { assigned_grade: points() });
      if (roll < 0.77 && some.max < 900) {
        // Raising the points re-settles every standing the assignment counts in.
        const raised = await call("points", "PATCH", `/assignments/${some.id}`, who.token, { max_points: some.max + 10 });
        if (raised.status === 200) some.max = Math.max(some.max, raised.body.max_points);
        return;
      }
      if (roll < 0.82) return call("announce", "POST", `/classes/${klass.class_id}/posts`, who.token, { content: "An announcement", kind: "announcement" });
      if (roll < 0.9) return upload(klass, who, Math.random() < 0.5 ? "material" : "post");
      if (roll < 0.95) return call("ranking", "GET", `/classes/${klass.class_id}/ranking`, who.token);
      return call("gradebook", "GET", `/assignments/${some.id}/submissions`, who.token);
    }
    if (!some) return call("assignments", "GET", `/classes/${klass.class_id}/assignments`, who.token);
    if (roll < 0.5) {
      // Mostly work not turned in yet; now and then returned work again.
      const fresh = work.filter((a) => !turnedIn.has(`${a.id}/${who.sub}`));
      const target = fresh.length > 0 && Math.random() < 0.9 ? pick(fresh) : some;
      turnedIn.add(`${target.id}/${who.sub}`);
      return call("turn in", "POST", `/assignments/${target.id}/turn-in`, who.token, { text: "my answer" });
    }
    if (roll < 0.56) return call("reclaim", "POST", `/assignments/${some.id}/reclaim`, who.token);
    if (roll < 0.7) return upload(klass, who, "submission");
    if (roll < 0.8) {
      // A chat message (in the ledger like every other) that @mentions someone.
      const mention = pick(klass.students.filter((s) => s !== who).concat(klass.teacher));
      const id = randomUUID();
      sends.set(id, { class_id: klass.class_id, content: `hey @${mention.name}, message ${id}`, author: who, acked: false });
      return send(id);
    }
    if (roll < 0.9) return call("standing", "GET", `/classes/${klass.class_id}/standing`, who.token);
    return call("submissions", "GET", `/assignments/${some.id}/submissions`, who.token);
  }

  async function step() {
    const klass = pick(classes);
    const members = [klass.teacher, ...klass.students];
    const who = pick(members);
    // Coursework: a teacher acts more often than in chat (grading and returning is theirs).
    if (options.coursework && Math.random() < 0.4) return courseworkStep(klass, Math.random() < 0.3 ? klass.teacher : who);
    const roll = Math.random();
    const pendingMine = [...sends.entries()].find(([, s]) => !s.acked && s.author === who);
    if (roll < 0.3 || (pendingMine && roll < 0.4)) {
      if (pendingMine) return send(pendingMine[0]);
      const id = randomUUID();
      sends.set(id, { class_id: klass.class_id, content: `message ${id}`, author: who, acked: false });
      return send(id);
    }
    const known = messages.get(klass.class_id)!;
    if (roll < 0.5 && known.length > 0) {
      const trpcSide = Math.random() < 0.3;
      const reaction_type = pick(["like", "heart"] as const);
      const id = pick(known);
      return trpcSide
        ? call("react", "POST", "/trpc/chat.react", who.token, { json: { message_id: id, reaction_type } })
        : call("react", "PUT", `/chat/messages/${id}/reactions`, who.token, { reaction_type });
    }
    if (roll < 0.6) return call("list", "GET", `/chat/messages/${klass.class_id}?limit=20`, who.token);
    if (roll < 0.65) {
      const page = await call("poll", "GET", trpcQuery("chat.list", { class_id: klass.class_id, direction: "backward", limit: 5 }), who.token);
      const cursor = page.body?.result?.data?.json?.newer;
      if (cursor) await call("poll", "GET", trpcQuery("chat.poll", { class_id: klass.class_id, cursor }), who.token);
      return;
    }
    const classPosts = posts.get(klass.class_id)!;
    if (roll < 0.7 || classPosts.length === 0) {
      const created = await call("post", "POST", `/classes/${klass.class_id}/posts`, who.token, { content: "a post" });
      if (created.status === 201) classPosts.push(created.body.post_id);
      return;
    }
    const post_id = pick(classPosts);
    const onPost = comments.get(post_id) ?? [];
    comments.set(post_id, onPost);
    if (roll < 0.8) {
      const created = await call("comment", "POST", `/posts/${post_id}/comments`, who.token, { content: "a comment" });
      if (created.status === 201) onPost.push({ id: created.body.comment_id, author: who.sub });
      return;
    }
    if (roll < 0.88 && onPost.length > 0) {
      // Authors delete their own; teachers any. Deleting twice is allowed (idempotent).
      const mine = who === klass.teacher ? onPost : onPost.filter((c) => c.author === who.sub);
      if (mine.length === 0) return;
      const target = pick(mine);
      return Math.random() < 0.3
        ? call("delete", "POST", "/trpc/comment.remove", who.token, { json: { comment_id: target.id } })
        : call("delete", "DELETE", `/comments/${target.id}`, who.token);
    }
    if (roll < 0.92) return call("comments", "GET", `/posts/${post_id}/comments`, who.token);
    if (roll < 0.95) return call("class", "GET", `/classes/${klass.class_id}`, who.token);
    if (roll < 0.97) return call("members", "GET", `/classes/${klass.class_id}/members`, who.token);
    return Math.random() < 0.5
      ? call("audit", "GET", `/classes/${klass.class_id}/audit?limit=10`, klass.teacher.token)
      : call("stats", "GET", `/classes/${klass.class_id}/stats`, klass.teacher.token);
  }

  const workers = Array.from({ length: options.workers }, async () => {
    while (running) {
      await step();
      // A person needs a moment between actions; keeps one user under the write limit.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  });

  return {
    phase: (name) => void (phase = name),
    tallies,
    sends,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
    async settle() {
      phase = "settle";
      for (let round = 0; round < 40; round++) {
        const pending = [...sends.entries()].filter(([, s]) => !s.acked).map(([id]) => id);
        if (pending.length === 0) return;
        for (const id of pending) await send(id);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error("some sends were never acknowledged");
    },
  };
}
