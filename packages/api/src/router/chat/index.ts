import * as Chat from "@classroom/core/chat";
import { Id } from "@classroom/core/ids";
import { POLL_FAST_MS, POLL_SLOW_MS } from "@classroom/core/polling";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { chatRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Chat.list.schema).query(({ ctx, input }) => Chat.list(input, ctx.actor)),
  /** "What is new since my cursor" plus the class's activity counter: one call keeps a class page live. */
  poll: authedProcedure.input(Chat.poll.schema).query(({ ctx, input }) => Chat.poll(input, ctx.actor)),
  send: writeProcedure.input(Chat.send.schema).mutation(({ ctx, input }) => Chat.send(input, ctx.actor)),
  react: writeProcedure.input(Chat.react.schema).mutation(({ ctx, input }) => Chat.react(input, ctx.actor)),
  edit: writeProcedure.input(Chat.edit.schema).mutation(({ ctx, input }) => Chat.edit(input, ctx.actor)),
  remove: writeProcedure.input(Chat.remove.schema).mutation(({ ctx, input }) => Chat.remove(input, ctx.actor)),
  markRead: authedProcedure.input(Chat.markRead.schema).mutation(({ ctx, input }) => Chat.markRead(input, ctx.actor)),
} satisfies TRPCRouterRecord;

/**
 * The contract's message list. Its paging keeps the contract's names (`lastEvaluatedKey`,
 * `lastMessageTimestamp`); every other list pages with `cursor`.
 */
const MessageList = z
  .object({
    messages: z.array(Chat.Message).meta({ description: "Oldest first" }),
    lastEvaluatedKey: z.string().nullable().meta({ description: "Opaque; pass back to get the next page. null when this is the last page." }),
    poll_after_ms: Chat.PollAfter.nullable().meta({
      description: `On the last page (lastEvaluatedKey null): poll again after this many ms, ${POLL_FAST_MS} while the class is active, up to ${POLL_SLOW_MS} while it is quiet; poll sooner only when your user acts. null while lastEvaluatedKey is set (get the next page at once).`,
    }),
  })
  .meta({ id: "MessageList" });

export const operations = {
  listMessages: op({
    summary: "List a class's chat messages, oldest first",
    description: [
      "Without `lastEvaluatedKey` or `lastMessageTimestamp` the list starts at the oldest message.",
      "Pages: pass the returned `lastEvaluatedKey` back to get the next page; it is null on the last page.",
      "Polling for new messages: send `lastMessageTimestamp` = the `created_at` of the newest message you have.",
      "Within a class every message has a unique, strictly increasing `created_at`, and a message becomes",
      "visible only after every earlier one, so this returns each new message exactly once: none is skipped",
      "when clocks collide or a write is slow. If the answer is a full page, poll again at once with the",
      "newest `created_at` (or follow `lastEvaluatedKey`); otherwise wait `poll_after_ms` (3 s while the class is",
      "active, up to 15 s while it is quiet) unless your user acts.",
      `Expired messages (older than ${Chat.MESSAGE_TTL_DAYS} days) are not listed.`,
    ].join(" "),
    params: Chat.list.schema.pick({ class_id: true }),
    query: z.object({
      limit: Chat.list.schema.shape.limit.optional().meta({ description: `Page size, 1-${Chat.MAX_MESSAGE_PAGE} (default ${Chat.DEFAULT_MESSAGE_PAGE})` }),
      lastEvaluatedKey: Chat.list.schema.shape.cursor,
      lastMessageTimestamp: Chat.list.schema.shape.after_timestamp,
    }),
    response: MessageList,
    async run(caller, { params, query }) {
      const page = await caller.chat.list({
        class_id: params.class_id,
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.lastEvaluatedKey ? { cursor: query.lastEvaluatedKey } : {}),
        ...(query.lastMessageTimestamp ? { after_timestamp: query.lastMessageTimestamp } : {}),
      });
      return { messages: page.messages, lastEvaluatedKey: page.has_more ? page.newer : null, poll_after_ms: page.poll_after_ms };
    },
  }),
  sendMessage: op({
    summary: "Send a chat message",
    description:
      "Safe to retry: pass your own `message_id` (letters, digits, `-`, `_`); a retry with the same id returns the first result and creates nothing.",
    status: 201,
    body: Chat.send.schema,
    response: Chat.Sent.pick({ message_id: true, created_at: true }),
    async run(caller, { body }) {
      const sent = await caller.chat.send(body);
      return { message_id: sent.message_id, created_at: sent.created_at };
    },
  }),
  toggleReaction: op({
    summary: "Toggle your like or heart on a message",
    params: z.object({ id: Id }),
    body: Chat.react.schema.omit({ message_id: true }),
    response: Chat.ReactionResult.pick({ like_count: true, heart_count: true }),
    async run(caller, { params, body }) {
      const result = await caller.chat.react({ message_id: params.id, reaction_type: body.reaction_type });
      return { like_count: result.like_count, heart_count: result.heart_count };
    },
  }),
  editMessage: op({
    summary: "Edit your message",
    description: "Only its author, and not while muted. The message keeps its place; `edited_at` says when it changed.",
    params: Chat.edit.schema.pick({ message_id: true }),
    body: Chat.edit.schema.omit({ message_id: true }),
    response: Chat.edit.output,
    run: (caller, { params, body }) => caller.chat.edit({ ...body, message_id: params.message_id }),
  }),
  removeMessage: op({
    summary: "Remove a message (its author or a teacher of the class)",
    description:
      "The message stays in its place as a tombstone (`removed` says by whom; its text and reactions are gone), so every reader's position is unchanged. Removing it again changes nothing.",
    params: Chat.remove.schema,
    response: Chat.remove.output,
    run: (caller, { params }) => caller.chat.remove(params),
  }),
  markChatRead: op({
    summary: "Set your read marker in a class's chat",
    description: "`position` is the `created_at` of the newest message you have read; the marker never moves back. Unread counts are the class's messages after it.",
    params: Chat.markRead.schema.pick({ class_id: true }),
    body: Chat.markRead.schema.omit({ class_id: true }),
    response: Chat.markRead.output,
    run: (caller, { params, body }) => caller.chat.markRead({ ...body, class_id: params.class_id }),
  }),
} satisfies Operations<typeof chatRoutes>;

