/**
 * The REST adapter's operations: for each route in `routes.ts`, the request schemas (for
 * validation and the OpenAPI document), the response schema, and how it calls the SAME
 * tRPC procedure the typed clients use (through a server-side caller). No domain logic here.
 */
import * as Audit from "@classroom/core/audit";
import * as Chat from "@classroom/core/chat";
import * as Class from "@classroom/core/class";
import * as Comment from "@classroom/core/comment";
import { Id } from "@classroom/core/ids";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import * as z from "zod";
import type { createCaller } from "../root.ts";
import type { RestOperation } from "../routes.ts";
import * as Out from "./schemas.ts";

type Caller = ReturnType<typeof createCaller>;

export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  summary: string;
  description?: string;
  /** Success status; 200 unless said. */
  status?: number;
  params?: P;
  query?: Q;
  body?: B;
  response: z.ZodType;
  run(caller: Caller, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }): Promise<unknown>;
}

/** Keeps each operation's `run` typed by its own schemas. */
const op = <P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  operation: Operation<P, Q, B>,
) => operation as unknown as Operation;

const ClassParams = z.object({ class_id: Id });
const IdParams = z.object({ id: Id });
const PostParams = z.object({ post_id: Id });

export const operations: Record<Exclude<RestOperation, "health" | "openapi" | "docs">, Operation> = {
  listMessages: op({
    summary: "List a class's chat messages, oldest first",
    description: [
      "Without `lastEvaluatedKey` or `lastMessageTimestamp` the list starts at the oldest message.",
      "Pages: pass the returned `lastEvaluatedKey` back to get the next page; it is null on the last page.",
      "Polling for new messages: send `lastMessageTimestamp` = the `created_at` of the newest message you have.",
      "Within a class every message has a unique, strictly increasing `created_at`, and a message becomes",
      "visible only after every earlier one, so this returns each new message exactly once: none is skipped",
      "when clocks collide or a write is slow. If the answer is a full page, poll again at once with the",
      "newest `created_at` (or follow `lastEvaluatedKey`). Expired messages (older than 90 days) are not listed.",
    ].join(" "),
    params: ClassParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(Chat.MAX_PAGE_SIZE).optional().meta({ description: "Page size, 1-100 (default 50)" }),
      lastEvaluatedKey: z.string().max(512).optional(),
      lastMessageTimestamp: z.iso.datetime({ offset: true }).optional(),
    }),
    response: Out.MessageList,
    async run(caller, { params, query }) {
      const page = await caller.chat.list({
        class_id: params.class_id,
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.lastEvaluatedKey ? { cursor: query.lastEvaluatedKey } : {}),
        ...(query.lastMessageTimestamp ? { after_timestamp: query.lastMessageTimestamp } : {}),
      });
      return { messages: page.messages, lastEvaluatedKey: page.has_more ? page.newer : null };
    },
  }),
  sendMessage: op({
    summary: "Send a chat message",
    description:
      "Safe to retry: pass your own `message_id` (letters, digits, `-`, `_`); a retry with the same id returns the first result and creates nothing.",
    status: 201,
    body: Chat.SendInput,
    response: Out.Sent,
    async run(caller, { body }) {
      const sent = await caller.chat.send(body);
      return { message_id: sent.message_id, created_at: sent.created_at };
    },
  }),
  toggleReaction: op({
    summary: "Toggle your like or heart on a message",
    params: IdParams,
    body: Chat.ReactInput.omit({ message_id: true }),
    response: Out.ReactionCounts,
    async run(caller, { params, body }) {
      const result = await caller.chat.react({ message_id: params.id, reaction_type: body.reaction_type });
      return { like_count: result.like_count, heart_count: result.heart_count };
    },
  }),
  deleteComment: op({
    summary: "Delete a comment (its author or a teacher of the class)",
    description: "Soft delete: the comment is kept with status 0 and no longer listed. Deleting it again succeeds and changes nothing.",
    params: IdParams,
    response: Out.CommentDeleted,
    async run(caller, { params }) {
      await caller.comment.remove({ comment_id: params.id });
      return { message: "Comment deleted successfully" };
    },
  }),
  listMyClasses: op({
    summary: "The classes you belong to",
    response: z.object({ classes: z.array(Out.ClassSummary) }),
    async run(caller) {
      return { classes: await caller.class.mine() };
    },
  }),
  createClass: op({
    summary: "Create a class (you become its teacher)",
    status: 201,
    body: Class.CreateInput,
    response: Out.ClassDetail,
    run: (caller, { body }) => caller.class.create(body),
  }),
  getClass: op({
    summary: "A class you belong to",
    params: ClassParams,
    response: Out.ClassDetail,
    run: (caller, { params }) => caller.class.byId(params),
  }),
  listMembers: op({
    summary: "Members of a class",
    params: ClassParams,
    response: z.object({ members: z.array(Out.Member) }),
    async run(caller, { params }) {
      return { members: await caller.member.list(params) };
    },
  }),
  addMember: op({
    summary: "Add someone to a class by email (teachers)",
    status: 201,
    params: ClassParams,
    body: Membership.AddMemberInput.omit({ class_id: true }),
    response: Out.Member,
    run: (caller, { params, body }) => caller.member.add({ ...body, class_id: params.class_id }),
  }),
  removeMember: op({
    summary: "Remove someone from a class (teachers)",
    params: z.object({ class_id: Id, user_id: Id }),
    response: z.object({ removed: z.boolean() }),
    run: (caller, { params }) => caller.member.remove(params),
  }),
  listPosts: op({
    summary: "A class's posts, newest first",
    params: ClassParams,
    query: Post.ListInput.omit({ class_id: true }),
    response: z.object({ posts: z.array(Out.PostOut), cursor: z.string().nullable() }),
    run: (caller, { params, query }) => caller.post.list({ ...query, class_id: params.class_id }),
  }),
  createPost: op({
    summary: "Post to a class's stream",
    status: 201,
    params: ClassParams,
    body: Post.CreateInput.omit({ class_id: true }),
    response: Out.PostOut,
    run: (caller, { params, body }) => caller.post.create({ ...body, class_id: params.class_id }),
  }),
  listComments: op({
    summary: "A post's comments, oldest first",
    params: PostParams,
    query: Comment.ListInput.omit({ post_id: true }),
    response: z.object({ comments: z.array(Out.CommentOut), cursor: z.string().nullable() }),
    run: (caller, { params, query }) => caller.comment.list({ ...query, post_id: params.post_id }),
  }),
  createComment: op({
    summary: "Comment on a post",
    status: 201,
    params: PostParams,
    body: Comment.CreateInput.omit({ post_id: true }),
    response: Out.CommentOut,
    run: (caller, { params, body }) => caller.comment.create({ ...body, post_id: params.post_id }),
  }),
  listAuditEvents: op({
    summary: "A class's audit trail, newest first (teachers)",
    params: ClassParams,
    query: Audit.ListInput.omit({ class_id: true }),
    response: z.object({ events: z.array(Out.AuditEventOut) }),
    async run(caller, { params, query }) {
      return { events: await caller.audit.list({ ...query, class_id: params.class_id }) };
    },
  }),
  getClassStats: op({
    summary: "A class's daily statistics (teachers)",
    params: ClassParams,
    query: Audit.StatsInput.omit({ class_id: true }),
    response: z.object({ days: z.array(Out.DayStatsOut) }),
    async run(caller, { params, query }) {
      return { days: await caller.audit.stats({ ...query, class_id: params.class_id }) };
    },
  }),
};
