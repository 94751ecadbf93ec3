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
  setRole: writeProcedure.input(Membership.setRole.schema).mutation(({ ctx, input }) => Membership.setRole(input, ctx.actor)),
  mute: writeProcedure.input(Membership.mute.schema).mutation(({ ctx, input }) => Membership.mute(input, ctx.actor)),
  invitations: authedProcedure.input(Membership.invitations.schema).query(({ ctx, input }) => Membership.invitations(input, ctx.actor)),
  cancelInvitation: writeProcedure
    .input(Membership.cancelInvitation.schema)
    .mutation(({ ctx, input }) => Membership.cancelInvitation(input, ctx.actor)),
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
    description:
      "Someone who has signed in before becomes a member at once (`status: added`); anyone else gets an invitation (`status: invited`) and joins when they first sign in. Someone already in the class (or invited) is a 409 that says so.",
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
  setMemberRole: op({
    summary: "Change a member's role (teachers; not your own)",
    params: Membership.setRole.schema.pick({ class_id: true, user_id: true }),
    body: Membership.setRole.schema.pick({ role: true }),
    response: Membership.setRole.output,
    run: (caller, { params, body }) => caller.member.setRole({ ...params, ...body }),
  }),
  muteMember: op({
    summary: "Mute a student in the class chat for some minutes (teachers; 0 lifts the mute)",
    description: "While muted, their chat writes answer 403 `chat.muted` with the end time.",
    params: Membership.mute.schema.pick({ class_id: true, user_id: true }),
    body: Membership.mute.schema.pick({ minutes: true }),
    response: Membership.mute.output,
    run: (caller, { params, body }) => caller.member.mute({ ...params, ...body }),
  }),
  listInvitations: op({
    summary: "Pending invitations of a class (teachers)",
    params: Membership.invitations.schema,
    response: z.object({ invitations: Membership.invitations.output }),
    async run(caller, { params }) {
      return { invitations: await caller.member.invitations(params) };
    },
  }),
  cancelInvitation: op({
    summary: "Withdraw a pending invitation (teachers)",
    params: Membership.cancelInvitation.schema,
    response: Membership.cancelInvitation.output,
    run: (caller, { params }) => caller.member.cancelInvitation(params),
  }),
} satisfies Operations<typeof memberRoutes>;

