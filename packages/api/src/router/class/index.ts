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
  update: writeProcedure.input(Class.update.schema).mutation(({ ctx, input }) => Class.update(input, ctx.actor)),
  remove: writeProcedure.input(Class.remove.schema).mutation(({ ctx, input }) => Class.remove(input, ctx.actor)),
  join: writeProcedure.input(Class.join.schema).mutation(({ ctx, input }) => Class.join(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listMyClasses: op({
    summary: "The classes you belong to",
    description: "With your role in each and the class's state; active classes first, then by name.",
    response: z.object({ classes: Class.ClassList }),
    async run(caller) {
      return { classes: await caller.class.mine() };
    },
  }),
  createClass: op({
    summary: "Create a class (you become its teacher)",
    description: "The class gets an enrollment code students join with.",
    status: 201,
    body: Class.create.schema,
    response: Class.create.output,
    run: (caller, { body }) => caller.class.create(body),
  }),
  joinClass: op({
    summary: "Join a class with its enrollment code (as a student)",
    description: [
      "Joining a class you are already a student of changes nothing; a teacher of the class gets 409 `class.already_teacher`.",
      "A code that does not work answers 404 `class.code_not_found`, whether no class has it or its class is archived or deleted.",
      "Attempts that do not succeed are limited per person: past the limit, 429 with `Retry-After`.",
    ].join(" "),
    body: Class.join.schema,
    response: Class.join.output,
    run: (caller, { body }) => caller.class.join(body),
  }),
  getClass: op({
    summary: "A class you belong to",
    description: "`enrollment_code` is given to teachers only.",
    params: Class.get.schema,
    response: Class.get.output,
    run: (caller, { params }) => caller.class.byId(params),
  }),
  updateClass: op({
    summary: "Change a class's settings, archive or restore it, or reset its code (teachers)",
    description:
      "Only the fields given change; `null` (or an empty string) clears section, description or room. An archived class is read-only: every write in it answers 409 `class.archived`, except restoring it (`state: \"active\"`).",
    params: Class.update.schema.pick({ class_id: true }),
    body: Class.update.schema.omit({ class_id: true }),
    response: Class.update.output,
    run: (caller, { params, body }) => caller.class.update({ ...body, class_id: params.class_id }),
  }),
  deleteClass: op({
    summary: "Delete a class (teachers)",
    description: "The class disappears for everyone (404 afterwards); its data is kept for the audit trail.",
    params: Class.remove.schema,
    response: Class.remove.output,
    run: (caller, { params }) => caller.class.remove(params),
  }),
} satisfies Operations<typeof classRoutes>;
