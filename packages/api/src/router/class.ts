import * as Class from "@classroom/core/class";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, writeProcedure } from "../trpc.ts";

export const classRouter = {
  mine: authedProcedure.query(({ ctx }) => Class.mine(ctx.actor)),
  byId: authedProcedure.input(Class.GetInput).query(({ ctx, input }) => Class.get(input, ctx.actor)),
  create: writeProcedure.input(Class.CreateInput).mutation(({ ctx, input }) => Class.create(input, ctx.actor)),
} satisfies TRPCRouterRecord;
