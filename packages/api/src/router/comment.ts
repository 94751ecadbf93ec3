import * as Comment from "@classroom/core/comment";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, writeProcedure } from "../trpc.ts";

export const commentRouter = {
  list: authedProcedure.input(Comment.ListInput).query(({ ctx, input }) => Comment.list(input, ctx.actor)),
  create: writeProcedure.input(Comment.CreateInput).mutation(({ ctx, input }) => Comment.create(input, ctx.actor)),
  remove: writeProcedure.input(Comment.RemoveInput).mutation(({ ctx, input }) => Comment.remove(input, ctx.actor)),
} satisfies TRPCRouterRecord;
