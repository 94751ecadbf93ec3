import * as Audit from "@classroom/core/audit";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "../trpc.ts";

/** A class's audit trail and daily statistics (teachers of the class only). */
export const auditRouter = {
  list: authedProcedure.input(Audit.ListInput).query(({ ctx, input }) => Audit.list(input, ctx.actor)),
  stats: authedProcedure.input(Audit.StatsInput).query(({ ctx, input }) => Audit.stats(input, ctx.actor)),
} satisfies TRPCRouterRecord;
