/**
 * Overhead of the API over the database: for each endpoint, the same DynamoDB operations
 * it performs, issued directly with the AWS SDK (no HTTP, no tRPC, no auth), measured in the
 * same run, one request at a time, interleaved with the endpoint calls so drift hits both.
 */
import * as Chat from "@classroom/core/chat";
import * as Comment from "@classroom/core/comment";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import { db, dynamo } from "@classroom/core/table";
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Api } from "./http.ts";
import { Recorder, round, type Summary } from "./stats.ts";
import { type StackInfo, makeClass, makeUsers } from "./world.ts";

export interface Overhead {
  endpoint: string;
  baseline: Summary;
  /** When the tRPC procedure makes other DynamoDB calls than the REST path: those calls, issued directly. */
  trpcBaseline?: Summary;
  rest: Summary;
  trpc: Summary;
  rest_p50: number;
  rest_p99: number;
  trpc_p50: number;
  trpc_p99: number;
}

type Runner = () => Promise<unknown>;

type RunnerName = "baseline" | "rest" | "trpc" | "trpcBaseline";

async function measure(rounds: number, perRound: number, runners: Record<"baseline" | "rest" | "trpc", Runner> & { trpcBaseline?: Runner }) {
  const recorders: Record<RunnerName, Recorder> = { baseline: new Recorder(), rest: new Recorder(), trpc: new Recorder(), trpcBaseline: new Recorder() };
  const names = (["baseline", "rest", "trpc", "trpcBaseline"] as const).filter((name) => runners[name]);
  for (const name of names) await runners[name]!(); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      for (let i = 0; i < perRound; i++) {
        const began = performance.now();
        let ok = true;
        try {
          const result = await runners[name]!();
          if (result === false) ok = false;
        } catch {
          ok = false;
        }
        recorders[name].add(performance.now() - began, ok);
      }
    }
  }
  return recorders;
}

// One signature for the four document commands the endpoints use.
const send = (command: GetCommand | QueryCommand | UpdateCommand | TransactWriteCommand) => dynamo().send(command as never) as Promise<unknown>;
const rateLimit = (user_id: string) => {
  const window = Math.floor(Date.now() / 10_000);
  return send(
    new UpdateCommand(
      db().entities.rateWindow.update({ user_id, bucket: "write", window }).add({ count: 1 }).set({ expires_at: (window + 2) * 10 }).params({ response: "updated_new" }) as never,
    ),
  );
};

export async function overheads(api: Api, stack: StackInfo, rounds = 4, perRound = 40): Promise<Overhead[]> {
  // Three students per class, one per runner, so the per-user write limit never throttles a runner.
  const [teacher, student, restUser, trpcUser] = await makeUsers(stack, 4);
  const class_id = await makeClass(teacher!, [student!, restUser!, trpcUser!], "Overhead");
  for (let i = 0; i < 60; i++) await Chat.send({ class_id, content: `history ${i}` }, teacher!.actor);
  let token = restUser!.token;
  let trpcToken = trpcUser!.token;
  const user_id = student!.actor.userId;
  // Each write endpoint gets its own REST and tRPC users, so no runner meets the write limit.
  const freshRunners = async () => {
    const [rest, trpc] = await makeUsers(stack, 2);
    for (const user of [rest!, trpc!]) await Membership.add({ class_id, email: user.actor.email!, role: "student" }, teacher!.actor);
    token = rest!.token;
    trpcToken = trpc!.token;
    return { rest: rest!, trpc: trpc! };
  };
  const entities = db().entities;
  const membershipGet = entities.membership.get({ class_id, user_id }).params();
  const classGet = entities.class.get({ class_id }).params({ attributes: ["last_message_at", "activity_seq"] });
  const listQuery = entities.message.query
    .byClass({ class_id })
    .where((a, op) => op.gt(a.expires_at, Math.floor(Date.now() / 1000)))
    .params({ consistent: true, limit: 51 });
  const latest = await api.query<Chat.MessagePage>("chat.list", trpcToken, { class_id, direction: "backward", limit: 1 });
  const cursor = latest.data!.newer;
  const results: Overhead[] = [];
  const report = (endpoint: string, r: Awaited<ReturnType<typeof measure>>) => {
    const [baseline, rest, trpc] = [r.baseline.summary(), r.rest.summary(), r.trpc.summary()];
    const trpcBaseline = r.trpcBaseline.summary();
    const trpcBase = trpcBaseline.count ? trpcBaseline : baseline;
    results.push({
      endpoint,
      baseline,
      ...(trpcBaseline.count ? { trpcBaseline } : {}),
      rest,
      trpc,
      rest_p50: round(rest.p50 / baseline.p50),
      rest_p99: round(rest.p99 / baseline.p99),
      trpc_p50: round(trpc.p50 / trpcBase.p50),
      trpc_p99: round(trpc.p99 / trpcBase.p99),
    });
  };

  // Idle poll: the class item (membership is cached on the poll path). tRPC's chat.poll also reads
  // the caller's unread notification count, in parallel: its baseline is both GetItems, in parallel.
  const inboxGet = entities.inbox.get({ user_id }).params({ attributes: ["unread"] });
  report(
    "poll (idle)",
    await measure(rounds, perRound, {
      baseline: () => send(new GetCommand(classGet as never)),
      trpcBaseline: () => Promise.all([send(new GetCommand(classGet as never)), send(new GetCommand(inboxGet as never))]),
      rest: async () => (await api.rest("GET", `/chat/messages/${class_id}?lastMessageTimestamp=2100-01-01T00:00:00.000Z`, token)).status === 200,
      trpc: async () => (await api.query("chat.poll", trpcToken, { class_id, cursor })).status === 200,
    }),
  );

  // List the first page of 50.
  report(
    "list 50 messages",
    await measure(rounds, perRound, {
      baseline: () => Promise.all([send(new GetCommand(membershipGet as never)), send(new QueryCommand(listQuery as never))]),
      rest: async () => (await api.rest("GET", `/chat/messages/${class_id}?limit=50`, token)).status === 200,
      trpc: async () => (await api.query("chat.list", trpcToken, { class_id, limit: 50 })).status === 200,
    }),
  );

  // Send: rate limit, membership, the class's position, the transaction.
  let n = 0;
  const baselineSend = async () => {
    await rateLimit(user_id);
    await send(new GetCommand(membershipGet as never));
    const klass = await send(new GetCommand({ ...(entities.class.get({ class_id }).params() as object), ConsistentRead: true } as never));
    const last = (klass as { Item?: { last_message_at?: string } }).Item?.last_message_at;
    const created_at = new Date(Math.max(Date.now(), last ? Date.parse(last) + 1 : 0)).toISOString();
    const message_id = `baseline-${++n}-${Math.random().toString(36).slice(2)}`;
    const params = db()
      .transaction.write(({ class: k, message, messageRef }) => [
        k.patch({ class_id }).set({ last_message_at: created_at }).add({ message_count: 1 }).where((a, op) => op.eq(a.last_message_at, last!)).commit(),
        message.create({ class_id, created_at, message_id, author_id: user_id, author_name: "b", content: "baseline", like_count: 0, heart_count: 0, expires_at: 4102444800 }).commit(),
        messageRef.create({ message_id, class_id, created_at, author_id: user_id, content: "baseline", expires_at: 4102444800 }).commit(),
      ])
      .params();
    await send(new TransactWriteCommand(params as never));
  };
  const sendRecorders = await measure(rounds, Math.min(perRound, 12), {
    baseline: baselineSend,
    rest: async () => (await api.rest("POST", "/chat/messages", token, { class_id, content: "rest send" })).status === 201,
    trpc: async () => (await api.mutate("chat.send", trpcToken, { class_id, content: "trpc send" })).status === 200,
  });
  report("send", sendRecorders);

  // React: rate limit, message ref, membership, the message, the conditional update, the class's activity.
  await freshRunners();
  const target = await Chat.send({ class_id, content: "react target" }, teacher!.actor);
  const messageKey = { class_id, created_at: target.created_at };
  const baselineReact = async () => {
    await rateLimit(user_id);
    await send(new GetCommand({ ...(entities.messageRef.get({ message_id: target.message_id }).params() as object), ConsistentRead: true } as never));
    await send(new GetCommand(membershipGet as never));
    const current = await send(new GetCommand({ ...(entities.message.get(messageKey).params() as object), ConsistentRead: true } as never));
    const liked = ((current as { Item?: { liked_by?: Set<string> } }).Item?.liked_by ?? new Set()).has(user_id);
    const update = liked
      ? entities.message.patch(messageKey).subtract({ like_count: 1 }).delete({ liked_by: [user_id] }).where((a, op) => op.contains(a.liked_by, user_id))
      : entities.message.patch(messageKey).add({ like_count: 1, liked_by: [user_id] }).where((a, op) => op.notContains(a.liked_by, user_id));
    await send(new UpdateCommand(update.params({ response: "all_new" }) as never));
    await send(new UpdateCommand(entities.class.patch({ class_id }).add({ activity_seq: 1 }).params() as never));
  };
  report(
    "react",
    await measure(rounds, Math.min(perRound, 12), {
      baseline: baselineReact,
      rest: async () => (await api.rest("PUT", `/chat/messages/${target.message_id}/reactions`, token, { reaction_type: "like" })).status === 200,
      trpc: async () => (await api.mutate("chat.react", trpcToken, { message_id: target.message_id, reaction_type: "like" })).status === 200,
    }),
  );

  // Delete a comment: rate limit, the comment, membership, the transaction, the new count, the class's activity.
  const post = await Post.create({ class_id, content: "delete target" }, teacher!.actor);
  const fresh = async (author: typeof student) => (await Comment.create({ post_id: post.post_id, content: "bye" }, author!.actor)).comment_id;
  const queue = { baseline: [] as string[], rest: [] as string[], trpc: [] as string[] };
  const runners = await freshRunners();
  const authors = { baseline: student, rest: runners.rest, trpc: runners.trpc };
  const per = rounds * Math.min(perRound, 12) + 1;
  for (const name of ["baseline", "rest", "trpc"] as const) for (let i = 0; i < per; i++) queue[name].push(await fresh(authors[name]));
  const baselineDelete = async () => {
    const comment_id = queue.baseline.pop()!;
    await rateLimit(user_id);
    await send(new GetCommand({ ...(entities.comment.get({ comment_id }).params() as object), ConsistentRead: true } as never));
    await send(new GetCommand(membershipGet as never));
    const params = db()
      .transaction.write(({ comment, post: posts }) => [
        comment.patch({ comment_id }).set({ status: 0, deleted_at: new Date().toISOString(), deleted_by: user_id }).where((a, op) => op.eq(a.status, 1)).commit(),
        posts.patch({ post_id: post.post_id }).subtract({ comment_count: 1 }).commit(),
      ])
      .params();
    await send(new TransactWriteCommand(params as never));
    await send(new GetCommand({ ...(entities.post.get({ post_id: post.post_id }).params() as object), ConsistentRead: true } as never));
    await send(new UpdateCommand(entities.class.patch({ class_id }).add({ activity_seq: 1 }).params() as never));
  };
  report(
    "delete comment",
    await measure(rounds, Math.min(perRound, 12), {
      baseline: baselineDelete,
      rest: async () => (await api.rest("DELETE", `/comments/${queue.rest.pop()!}`, token)).status === 200,
      trpc: async () => (await api.mutate("comment.remove", trpcToken, { comment_id: queue.trpc.pop()! })).status === 200,
    }),
  );
  return results;
}
