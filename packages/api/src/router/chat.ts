import * as Chat from "@classroom/core/chat";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, writeProcedure } from "../trpc.ts";

/** "What is new since my cursor": every message exactly once, in order (see core chat). */
const PollInput = z.object({
  class_id: Chat.ListInput.shape.class_id,
  cursor: Chat.ListInput.shape.cursor.unwrap(),
  limit: Chat.ListInput.shape.limit,
});

export const chatRouter = {
  list: authedProcedure.input(Chat.ListInput).query(({ ctx, input }) => Chat.list(input, ctx.actor)),
  poll: authedProcedure
    .input(PollInput)
    .query(({ ctx, input }) => Chat.list({ ...input, direction: "forward" }, ctx.actor)),
  send: writeProcedure.input(Chat.SendInput).mutation(({ ctx, input }) => Chat.send(input, ctx.actor)),
  react: writeProcedure.input(Chat.ReactInput).mutation(({ ctx, input }) => Chat.react(input, ctx.actor)),
} satisfies TRPCRouterRecord;
