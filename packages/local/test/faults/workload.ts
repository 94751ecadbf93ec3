/**
 * A mixed workload over real HTTP (every operation, many users, bounded concurrency) that keeps
 * a ledger: every message send carries a client-chosen id, is retried with the same id until
 * acknowledged, and every answer is tallied by phase (so a test can say what it expects while
 * the database is down and while it is up).
 */
import { randomUUID } from "node:crypto";
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

export function startWorkload(stack: FaultStack, classes: LoadClass[], options: { workers: number; deadlineMs?: number }): Workload {
  const tallies = new Map<string, Tally>();
  const sends = new Map<string, Send>();
  const messages = new Map<string, string[]>(classes.map((c) => [c.class_id, []]));
  const posts = new Map<string, string[]>(classes.map((c) => [c.class_id, []]));
  const comments = new Map<string, Array<{ id: string; author: string }>>();
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

  async function step() {
    const klass = pick(classes);
    const members = [klass.teacher, ...klass.students];
    const who = pick(members);
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
