import * as Chat from "@classroom/core/chat";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, writeProcedure } from "../trpc.ts";

export const chatRouter = {
  list: authedProcedure.input(Chat.ListInput).query(({ ctx, input }) => Chat.list(input, ctx.actor)),
  /** "What is new since my cursor" plus the class's activity counter: one call keeps a class page live. */
  poll: authedProcedure.input(Chat.PollInput).query(({ ctx, input }) => Chat.poll(input, ctx.actor)),
  send: writeProcedure.input(Chat.SendInput).mutation(({ ctx, input }) => Chat.send(input, ctx.actor)),
  react: writeProcedure.input(Chat.ReactInput).mutation(({ ctx, input }) => Chat.react(input, ctx.actor)),
} satisfies TRPCRouterRecord;
