import * as Standing from "@classroom/core/standing";
import type { TRPCRouterRecord } from "@trpc/server";
import { TOP_PERFORMER_SCORE } from "@classroom/core/limits";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure } from "../../trpc.ts";
import type { standingRoutes } from "./routes.ts";

export const procedures = {
  ranking: authedProcedure.input(Standing.ranking.schema).query(({ ctx, input }) => Standing.ranking(input, ctx.actor)),
  topPerformers: authedProcedure.input(Standing.topPerformers.schema).query(({ ctx, input }) => Standing.topPerformers(input, ctx.actor)),
  get: authedProcedure.input(Standing.get.schema).query(({ ctx, input }) => Standing.get(input, ctx.actor)),
} satisfies TRPCRouterRecord;

const INDEXED =
  "Read from an index, which lags the grades by a moment: a grade returned just now may not be reflected yet. A student's own score and count (`GET .../standing`) are always exact.";

export const operations = {
  getRanking: op({
    summary: "A class's students by average, highest first (teachers)",
    description: `Ties by name; equal scores share a rank. Students without returned, graded work are not ranked. ${INDEXED}`,
    params: Standing.ranking.schema.pick({ class_id: true }),
    query: Standing.ranking.schema.omit({ class_id: true }),
    response: Standing.ranking.output,
    run: (caller, { params, query }) => caller.standing.ranking({ ...query, class_id: params.class_id }),
  }),
  getTopPerformers: op({
    summary: "A class's top performers, highest first (teachers)",
    description: `The students whose average is above ${TOP_PERFORMER_SCORE} %, with their rank in the class. ${INDEXED}`,
    params: Standing.topPerformers.schema.pick({ class_id: true }),
    query: Standing.topPerformers.schema.omit({ class_id: true }),
    response: Standing.topPerformers.output,
    run: (caller, { params, query }) => caller.standing.topPerformers({ ...query, class_id: params.class_id }),
  }),
  getStanding: op({
    summary: "A student's average, and rank in the class",
    description:
      "A student gets their own (their rank only when the class's `show_rank_to_students` is on); a teacher passes `student_id`. The score and count are exact; the rank and class size are counted from the ranking index, so they may lag a grade returned a moment ago.",
    params: Standing.get.schema.pick({ class_id: true }),
    query: Standing.get.schema.omit({ class_id: true }),
    response: Standing.get.output,
    run: (caller, { params, query }) => caller.standing.get({ ...query, class_id: params.class_id }),
  }),
} satisfies Operations<typeof standingRoutes>;
