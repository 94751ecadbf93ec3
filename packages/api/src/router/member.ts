import * as Membership from "@classroom/core/membership";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure, writeProcedure } from "../trpc.ts";

export const memberRouter = {
  list: authedProcedure.input(Membership.ListMembersInput).query(({ ctx, input }) => Membership.list(input, ctx.actor)),
  add: writeProcedure.input(Membership.AddMemberInput).mutation(({ ctx, input }) => Membership.add(input, ctx.actor)),
  remove: writeProcedure.input(Membership.RemoveMemberInput).mutation(({ ctx, input }) => Membership.remove(input, ctx.actor)),
} satisfies TRPCRouterRecord;
