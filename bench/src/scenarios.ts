/** The load scenarios: each reports latency and checks afterwards that nothing was lost, duplicated or miscounted. */
import * as Chat from "@classroom/core/chat";
import * as Comment from "@classroom/core/comment";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import { db } from "@classroom/core/table";
import autocannon from "autocannon";
import type { Api } from "./http.ts";
import { Recorder, type Summary, pool } from "./stats.ts";
import { type BenchUser, type StackInfo, makeClass, makeUsers } from "./world.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PollersResult extends Summary {
  pollers: number;
  seconds: number;
  messagesSent: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** After the writers stopped: extra polls until each poller had the last message, and failed answers among them. */
  catchUpPolls: number;
  catchUpFailures: number;
}

/**
 * `count` users in classes of 50, each polling its class every 3 s (tRPC chat.poll with the
 * `newer` cursor) for `seconds`, while one writer per class sends a message every 2 s.
 */
export async function pollers(api: Api, stack: StackInfo, count: number, seconds: number): Promise<PollersResult> {
  const perClass = 50;
  const users = await makeUsers(stack, count + Math.ceil(count / perClass));
  const classes: Array<{ id: string; writer: BenchUser; members: BenchUser[] }> = [];
  for (let c = 0; c * perClass < count; c++) {
    const members = users.slice(c * perClass, Math.min(count, (c + 1) * perClass));
    const writer = users[count + c]!;
    classes.push({ id: await makeClass(writer, members, `Pollers ${c}`), writer, members });
  }

  const recorder = new Recorder();
  const sent = new Map<string, string[]>(); // class -> message ids in send order
  const seen = new Map<BenchUser, string[]>();
  const deadline = Date.now() + seconds * 1000;
  /** Catching up after the writers: polls that still found the last message missing, and failed answers. */
  let catchUpPolls = 0;
  let catchUpFailures = 0;

  const pollLoop = async (user: BenchUser, class_id: string) => {
    const start = await api.query<Chat.MessagePage>("chat.list", user.token, { class_id, direction: "backward", limit: 1 });
    let cursor = start.data!.newer;
    const mine: string[] = [];
    seen.set(user, mine);
    await sleep(Math.random() * 3000); // spread the pollers over the interval
    while (Date.now() < deadline) {
      const began = performance.now();
      try {
        const reply = await api.query<Chat.Poll>("chat.poll", user.token, { class_id, cursor });
        recorder.add(performance.now() - began, reply.status === 200);
        if (reply.data) {
          mine.push(...reply.data.messages.map((m) => m.message_id));
          cursor = reply.data.newer;
        }
      } catch {
        recorder.add(performance.now() - began, false);
      }
      await sleep(3000);
    }
    // Catching up, once every writer is done (a send begun before the deadline may be
    // acknowledged after it): at the pollers' usual spread, then every second, until the class's
    // last acknowledged message has arrived or 30 s have passed, as a client keeps polling. A
    // failed answer is retried (not counted in the latencies, counted apart).
    await writersDone;
    const last = sent.get(class_id)!.at(-1);
    await sleep(Math.random() * 3000);
    for (const giveUp = Date.now() + 30_000; Date.now() < giveUp; ) {
      const reply = await api.query<Chat.Poll>("chat.poll", user.token, { class_id, cursor }).catch(() => undefined);
      if (reply?.data) {
        mine.push(...reply.data.messages.map((m) => m.message_id));
        cursor = reply.data.newer;
        if (reply.data.has_more) continue;
        if (last === undefined || mine.includes(last)) return;
      } else {
        catchUpFailures++;
      }
      catchUpPolls++;
      await sleep(1000);
    }
  };

  const writeLoop = async (klass: (typeof classes)[number]) => {
    const ids: string[] = [];
    sent.set(klass.id, ids);
    await sleep(1500);
    while (Date.now() < deadline - 1000) {
      const reply = await api.rest("POST", "/chat/messages", klass.writer.token, { class_id: klass.id, content: `tick ${ids.length}` });
      if (reply.status === 201) ids.push(reply.body.message_id);
      await sleep(2000);
    }
  };

  const writersDone = Promise.all(classes.map((k) => writeLoop(k)));
  await Promise.all([...classes.flatMap((k) => k.members.map((m) => pollLoop(m, k.id))), writersDone]);
  recorder.stop();

  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const klass of classes) {
    const expected = sent.get(klass.id)!;
    for (const member of klass.members) {
      const got = seen.get(member)!;
      const set = new Set(got);
      duplicated += got.length - set.size;
      lost += expected.filter((id) => !set.has(id)).length;
      if (got.join() !== expected.join()) outOfOrder += set.size === expected.length ? 1 : 0;
    }
  }
  return {
    ...recorder.summary(),
    pollers: count,
    seconds,
    messagesSent: [...sent.values()].reduce((n, ids) => n + ids.length, 0),
    lost,
    duplicated,
    outOfOrder,
    catchUpPolls,
    catchUpFailures,
  };
}

export interface BurstResult extends Summary {
  messages: number;
  listed: number;
  lost: number;
  duplicated: number;
}

/** 500 messages into one class from 50 concurrent senders (REST POST /chat/messages). */
export async function sendBurst(api: Api, stack: StackInfo): Promise<BurstResult> {
  const senders = await makeUsers(stack, 50);
  const class_id = await makeClass(senders[0]!, senders.slice(1), "Burst");
  const recorder = new Recorder();
  const acknowledged: string[] = [];
  await Promise.all(
    senders.map(async (sender) => {
      for (let i = 0; i < 10; i++) {
        const began = performance.now();
        const reply = await api.rest("POST", "/chat/messages", sender.token, { class_id, content: `burst ${i}` }).catch(() => undefined);
        recorder.add(performance.now() - began, reply?.status === 201);
        if (reply?.status === 201) acknowledged.push(reply.body.message_id);
      }
    }),
  );
  recorder.stop();
  const listed: string[] = [];
  let key: string | null = null;
  do {
    const query: string = key ? `?limit=100&lastEvaluatedKey=${encodeURIComponent(key)}` : "?limit=100";
    const page = await api.rest("GET", `/chat/messages/${class_id}${query}`, senders[0]!.token);
    listed.push(...page.body.messages.map((m: { message_id: string }) => m.message_id));
    key = page.body.lastEvaluatedKey;
  } while (key);
  const set = new Set(listed);
  return {
    ...recorder.summary(),
    messages: acknowledged.length,
    listed: listed.length,
    lost: acknowledged.filter((id) => !set.has(id)).length,
    duplicated: listed.length - set.size,
  };
}

export interface StormResult extends Summary {
  users: number;
  toggles: number;
  mismatches: number;
}

/** 100 users toggling like/heart on the same 5 messages, all at once (REST PUT .../reactions). */
export async function reactionStorm(api: Api, stack: StackInfo): Promise<StormResult> {
  const users = await makeUsers(stack, 100);
  const class_id = await makeClass(users[0]!, users.slice(1), "Storm");
  const messages: Chat.Sent[] = [];
  for (let i = 0; i < 5; i++) messages.push(await Chat.send({ class_id, content: `react ${i}` }, users[0]!.actor));
  const expected = new Map<string, Set<string>>(); // message/type -> users
  const toggles: Array<{ user: BenchUser; message: string; type: "like" | "heart" }> = [];
  users.forEach((user, u) => {
    for (let k = 0; k < 4; k++) {
      const message = messages[(u + k) % messages.length]!.message_id;
      const type = (u + k) % 3 === 0 ? "heart" : "like";
      toggles.push({ user, message, type });
      const key = `${message}/${type}`;
      const set = expected.get(key) ?? new Set();
      if (set.has(user.actor.userId)) set.delete(user.actor.userId);
      else set.add(user.actor.userId);
      expected.set(key, set);
    }
  });
  const recorder = new Recorder();
  await pool(toggles.length, 100, async (i) => {
    const { user, message, type } = toggles[i]!;
    const began = performance.now();
    const reply = await api.rest("PUT", `/chat/messages/${message}/reactions`, user.token, { reaction_type: type }).catch(() => undefined);
    recorder.add(performance.now() - began, reply?.status === 200);
  });
  recorder.stop();
  let mismatches = 0;
  for (const sent of messages) {
    const { data } = await db().entities.message.get({ class_id, created_at: sent.created_at }).go({ consistent: true });
    for (const [type, count, by] of [
      ["like", data!.like_count, data!.liked_by],
      ["heart", data!.heart_count, data!.hearted_by],
    ] as const) {
      const want = expected.get(`${sent.message_id}/${type}`) ?? new Set<string>();
      const have = new Set(by ?? []);
      if (count !== have.size || have.size !== want.size || [...want].some((u) => !have.has(u))) mismatches++;
    }
  }
  return { ...recorder.summary(), users: users.length, toggles: toggles.length, mismatches };
}

export interface DeleteResult extends Summary {
  comments: number;
  deleted: number;
  requests: number;
  commentCount: number;
  activeComments: number;
}

/**
 * 100 comments; 60 of them deleted by their author and twice by a teacher, concurrently.
 * Four teachers share the deleting so no one exceeds the per-user write limit.
 */
export async function deleteComments(api: Api, stack: StackInfo): Promise<DeleteResult> {
  const users = await makeUsers(stack, 24);
  const teacher = users[0]!;
  const coTeachers = users.slice(1, 4);
  const students = users.slice(4);
  const class_id = await makeClass(teacher, students, "Deletes");
  for (const co of coTeachers) await Membership.add({ class_id, email: co.actor.email!, role: "teacher" }, teacher.actor);
  const teachers = [teacher, ...coTeachers];
  const post = await Post.create({ class_id, content: "Discuss" }, teacher.actor);
  const comments = [];
  for (let i = 0; i < 100; i++) {
    const author = students[i % students.length]!;
    comments.push({ author, comment: await Comment.create({ post_id: post.post_id, content: `c${i}` }, author.actor) });
  }
  const requests: Array<{ token: string; id: string }> = [];
  comments.slice(0, 60).forEach(({ author, comment }, i) => {
    const a = teachers[i % 4]!;
    const b = teachers[(i + 1) % 4]!;
    requests.push({ token: a.token, id: comment.comment_id }, { token: author.token, id: comment.comment_id }, { token: b.token, id: comment.comment_id });
  });
  requests.sort(() => Math.random() - 0.5);
  const recorder = new Recorder();
  await pool(requests.length, 50, async (i) => {
    const began = performance.now();
    const reply = await api.rest("DELETE", `/comments/${requests[i]!.id}`, requests[i]!.token).catch(() => undefined);
    recorder.add(performance.now() - began, reply?.status === 200);
  });
  recorder.stop();
  const { data } = await db().entities.post.get({ post_id: post.post_id }).go({ consistent: true });
  const { data: all } = await db().entities.comment.query.byPost({ post_id: post.post_id }).go({ pages: "all" });
  return {
    ...recorder.summary(),
    comments: comments.length,
    deleted: 60,
    requests: requests.length,
    commentCount: data!.comment_count ?? -1,
    activeComments: all.filter((c) => c.status === 1).length,
  };
}

export interface SaturationStep {
  connections: number;
  achievedRate: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * The highest idle-poll rate (tRPC chat.poll) the local API sustains with p99 under 100 ms.
 * Closed-loop load: each step keeps `connections` requests in flight for 5 s (doubling the
 * connections each step), which measures throughput without the bursts a rate limiter adds.
 */
export async function saturation(api: Api, stack: StackInfo): Promise<{ steps: SaturationStep[]; sustainedRate: number }> {
  const [user] = await makeUsers(stack, 1);
  const class_id = await makeClass(user!, [], "Saturation");
  const start = await api.query<Chat.MessagePage>("chat.list", user!.token, { class_id, direction: "backward", limit: 1 });
  const url = api.trpcQueryUrl("chat.poll", { class_id, cursor: start.data!.newer });
  const steps: SaturationStep[] = [];
  for (const connections of [1, 2, 4, 8, 16, 32, 64]) {
    const result = await autocannon({ url, connections, duration: 5, headers: { authorization: `Bearer ${user!.token}` } });
    const errors = result.errors + result.timeouts + result.non2xx;
    steps.push({ connections, achievedRate: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors });
    if (result.latency.p99 >= 100 || errors > 0) break;
  }
  const ok = steps.filter((s) => s.p99 < 100 && s.errors === 0);
  return { steps, sustainedRate: ok.length ? Math.max(...ok.map((s) => s.achievedRate)) : 0 };
}
