import * as Class from "@classroom/core/class";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { classRoutes } from "./routes.ts";

export const procedures = {
  mine: authedProcedure.query(({ ctx }) => Class.mine(ctx.actor)),
  byId: authedProcedure.input(Class.get.schema).query(({ ctx, input }) => Class.get(input, ctx.actor)),
  create: writeProcedure.input(Class.create.schema).mutation(({ ctx, input }) => Class.create(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listMyClasses: op({
    summary: "The classes you belong to",
    response: z.object({ classes: Class.ClassList }),
    async run(caller) {
      return { classes: await caller.class.mine() };
    },
  }),
  createClass: op({
    summary: "Create a class (you become its teacher)",
    status: 201,
    body: Class.create.schema,
    response: Class.create.output,
    run: (caller, { body }) => caller.class.create(body),
  }),
  getClass: op({
    summary: "A class you belong to",
    params: Class.get.schema,
    response: Class.get.output,
    run: (caller, { params }) => caller.class.byId(params),
  }),
} satisfies Operations<typeof classRoutes>;

