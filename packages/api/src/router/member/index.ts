import * as Membership from "@classroom/core/membership";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { memberRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Membership.list.schema).query(({ ctx, input }) => Membership.list(input, ctx.actor)),
  add: writeProcedure.input(Membership.add.schema).mutation(({ ctx, input }) => Membership.add(input, ctx.actor)),
  remove: writeProcedure.input(Membership.remove.schema).mutation(({ ctx, input }) => Membership.remove(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listMembers: op({
    summary: "Members of a class",
    params: Membership.list.schema,
    response: z.object({ members: Membership.list.output }),
    async run(caller, { params }) {
      return { members: await caller.member.list(params) };
    },
  }),
  addMember: op({
    summary: "Add someone to a class by email (teachers)",
    status: 201,
    params: Membership.add.schema.pick({ class_id: true }),
    body: Membership.add.schema.omit({ class_id: true }),
    response: Membership.add.output,
    run: (caller, { params, body }) => caller.member.add({ ...body, class_id: params.class_id }),
  }),
  removeMember: op({
    summary: "Remove someone from a class (teachers)",
    params: Membership.remove.schema,
    response: Membership.remove.output,
    run: (caller, { params }) => caller.member.remove(params),
  }),
} satisfies Operations<typeof memberRoutes>;

