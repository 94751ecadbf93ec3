import * as Comment from "@classroom/core/comment";
import { Id } from "@classroom/core/ids";
import type { TRPCRouterRecord } from "@trpc/server";
import * as z from "zod";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { commentRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Comment.list.schema).query(({ ctx, input }) => Comment.list(input, ctx.actor)),
  create: writeProcedure.input(Comment.create.schema).mutation(({ ctx, input }) => Comment.create(input, ctx.actor)),
  remove: writeProcedure.input(Comment.remove.schema).mutation(({ ctx, input }) => Comment.remove(input, ctx.actor)),
  edit: writeProcedure.input(Comment.edit.schema).mutation(({ ctx, input }) => Comment.edit(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listComments: op({
    summary: "A post's comments, oldest first",
    params: Comment.list.schema.pick({ post_id: true }),
    query: Comment.list.schema.omit({ post_id: true }),
    response: Comment.list.output,
    run: (caller, { params, query }) => caller.comment.list({ ...query, post_id: params.post_id }),
  }),
  createComment: op({
    summary: "Comment on a post",
    status: 201,
    params: Comment.create.schema.pick({ post_id: true }),
    body: Comment.create.schema.omit({ post_id: true }),
    response: Comment.create.output,
    run: (caller, { params, body }) => caller.comment.create({ ...body, post_id: params.post_id }),
  }),
  deleteComment: op({
    summary: "Delete a comment (its author or a teacher of the class)",
    description: "Soft delete: the comment is kept with status 0 and no longer listed. Deleting it again succeeds and changes nothing.",
    params: z.object({ id: Id }),
    response: z.object({ message: z.literal("Comment deleted successfully") }),
    async run(caller, { params }) {
      await caller.comment.remove({ comment_id: params.id });
      return { message: "Comment deleted successfully" };
    },
  }),
  editComment: op({
    summary: "Edit your comment",
    params: z.object({ id: Id }),
    body: Comment.edit.schema.omit({ comment_id: true }),
    response: Comment.edit.output,
    run: (caller, { params, body }) => caller.comment.edit({ ...body, comment_id: params.id }),
  }),
} satisfies Operations<typeof commentRoutes>;

