import * as Audit from "@classroom/core/audit";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure } from "../../trpc.ts";
import type { auditRoutes } from "./routes.ts";

/** A class's audit trail and daily statistics (teachers of the class only). */
export const procedures = {
  list: authedProcedure.input(Audit.list.schema).query(({ ctx, input }) => Audit.list(input, ctx.actor)),
  stats: authedProcedure.input(Audit.stats.schema).query(({ ctx, input }) => Audit.stats(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listAuditEvents: op({
    summary: "A class's audit trail, newest first (teachers)",
    params: Audit.list.schema.pick({ class_id: true }),
    query: Audit.list.schema.omit({ class_id: true }),
    response: Audit.list.output,
    run: (caller, { params, query }) => caller.audit.list({ ...query, class_id: params.class_id }),
  }),
  getClassStats: op({
    summary: "A class's daily statistics (teachers)",
    params: Audit.stats.schema.pick({ class_id: true }),
    query: Audit.stats.schema.omit({ class_id: true }),
    response: z.object({ days: Audit.stats.output }),
    async run(caller, { params, query }) {
      return { days: await caller.audit.stats({ ...query, class_id: params.class_id }) };
    },
  }),
} satisfies Operations<typeof auditRoutes>;

