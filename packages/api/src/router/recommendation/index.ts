import * as Recommendation from "@classroom/core/recommendation";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure } from "../../trpc.ts";
import type { recommendationRoutes } from "./routes.ts";

export const procedures = {
  similar: authedProcedure.input(Recommendation.similar.schema).query(({ ctx, input }) => Recommendation.similar(input, ctx.actor)),
  forClass: authedProcedure.input(Recommendation.forClass.schema).query(({ ctx, input }) => Recommendation.forClass(input, ctx.actor)),
  // Rate-limited in core with its own budget ("opened" signals), not the write budget.
  record: authedProcedure.input(Recommendation.record.schema).mutation(({ ctx, input }) => Recommendation.record(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  similarItems: op({
    summary: "Items like this one: people who used it also used these",
    description:
      "Only items you can see now are listed. Before the class's model knows the item (a new item, a new class), the class's most used items stand in (`reason: popular`).",
    params: Recommendation.similar.schema.pick({ item_type: true, item_id: true }),
    query: Recommendation.similar.schema.pick({ limit: true }),
    response: Recommendation.similar.output,
    run: (caller, { params, query }) => caller.recommendation.similar({ ...params, ...query }),
  }),
  listRecommendations: op({
    summary: "Recommended for you in a class",
    description:
      "Items of the class you have not interacted with, scored by their similarity to those you have; the class's most used items when that is not enough. Only items you can see now are listed.",
    params: Recommendation.forClass.schema.pick({ class_id: true }),
    query: Recommendation.forClass.schema.pick({ limit: true }),
    response: Recommendation.forClass.output,
    run: (caller, { params, query }) => caller.recommendation.forClass({ ...query, class_id: params.class_id }),
  }),
  recordInteraction: op({
    summary: "Say you opened an item (for recommendations)",
    description: "Counted once per person, item and day; only for items you can see (else the item's 404).",
    body: Recommendation.record.schema,
    response: Recommendation.record.output,
    run: (caller, { body }) => caller.recommendation.record(body),
  }),
} satisfies Operations<typeof recommendationRoutes>;
