import * as Post from "@classroom/core/post";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, writeProcedure } from "../trpc.ts";

export const postRouter = {
  list: authedProcedure.input(Post.ListInput).query(({ ctx, input }) => Post.list(input, ctx.actor)),
  byId: authedProcedure.input(Post.GetInput).query(({ ctx, input }) => Post.get(input, ctx.actor)),
  create: writeProcedure.input(Post.CreateInput).mutation(({ ctx, input }) => Post.create(input, ctx.actor)),
} satisfies TRPCRouterRecord;
