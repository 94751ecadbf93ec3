import * as Assignment from "@classroom/core/assignment";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { assignmentRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Assignment.list.schema).query(({ ctx, input }) => Assignment.list(input, ctx.actor)),
  byId: authedProcedure.input(Assignment.get.schema).query(({ ctx, input }) => Assignment.get(input, ctx.actor)),
  create: writeProcedure.input(Assignment.create.schema).mutation(({ ctx, input }) => Assignment.create(input, ctx.actor)),
  update: writeProcedure.input(Assignment.update.schema).mutation(({ ctx, input }) => Assignment.update(input, ctx.actor)),
  remove: writeProcedure.input(Assignment.remove.schema).mutation(({ ctx, input }) => Assignment.remove(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listAssignments: op({
    summary: "A class's assignments, by due date (undated last)",
    description: "Students see published assignments only.",
    params: Assignment.list.schema.pick({ class_id: true }),
    query: Assignment.list.schema.omit({ class_id: true }),
    response: Assignment.list.output,
    run: (caller, { params, query }) => caller.assignment.list({ ...query, class_id: params.class_id }),
  }),
  createAssignment: op({
    summary: "Add an assignment to a class (teachers)",
    description: "`max_points` defaults to 100 (`null`: ungraded); `state` defaults to `published`.",
    status: 201,
    params: Assignment.create.schema.pick({ class_id: true }),
    body: Assignment.create.schema.omit({ class_id: true }),
    response: Assignment.create.output,
    run: (caller, { params, body }) => caller.assignment.create({ ...body, class_id: params.class_id }),
  }),
  getAssignment: op({
    summary: "An assignment",
    params: Assignment.get.schema,
    response: Assignment.get.output,
    run: (caller, { params }) => caller.assignment.byId(params),
  }),
  updateAssignment: op({
    summary: "Change an assignment (teachers)",
    description:
      "Only the fields given change. Lowering `max_points` below a grade already given answers 409 `assignment.grades_above_max`; a published assignment cannot go back to draft (409 `assignment.published`).",
    params: Assignment.update.schema.pick({ assignment_id: true }),
    body: Assignment.update.schema.omit({ assignment_id: true }),
    response: Assignment.update.output,
    run: (caller, { params, body }) => caller.assignment.update({ ...body, assignment_id: params.assignment_id }),
  }),
  deleteAssignment: op({
    summary: "Delete an assignment and its submissions (teachers)",
    params: Assignment.remove.schema,
    response: Assignment.remove.output,
    run: (caller, { params }) => caller.assignment.remove(params),
  }),
} satisfies Operations<typeof assignmentRoutes>;
