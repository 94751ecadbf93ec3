import * as Gradebook from "@classroom/core/gradebook";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { Download, op, type Operations } from "../../rest/operation.ts";
import { authedProcedure } from "../../trpc.ts";
import type { gradebookRoutes } from "./routes.ts";

export const procedures = {
  get: authedProcedure.input(Gradebook.get.schema).query(({ ctx, input }) => Gradebook.get(input, ctx.actor)),
  csv: authedProcedure.input(Gradebook.csv.schema).query(({ ctx, input }) => Gradebook.csv(input, ctx.actor)),
} satisfies TRPCRouterRecord;

const CSV = "text/csv";

export const operations = {
  getGradebook: op({
    summary: "A class's gradebook (teachers)",
    description:
      "Every student × every assignment: assigned and draft grades, late and missing work, and each student's average. With `format=csv` (or `Accept: text/csv`) it is a CSV file of the assigned grades instead, ready for a spreadsheet.",
    params: Gradebook.get.schema,
    query: z.object({ format: z.enum(["json", "csv"]).optional().meta({ description: "`csv` for a spreadsheet file; JSON unless said (or asked for by `Accept`)" }) }),
    response: Gradebook.get.output,
    produces: [CSV],
    async run(caller, { params, query, accept }) {
      const wantsCsv = query.format === "csv" || (query.format === undefined && (accept ?? "").toLowerCase().includes(CSV));
      if (!wantsCsv) return caller.gradebook.get(params);
      const file = await caller.gradebook.csv(params);
      return new Download(`${CSV}; charset=utf-8`, file.content, file.filename);
    },
  }),
} satisfies Operations<typeof gradebookRoutes>;
