import * as Post from "@classroom/core/post";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { postRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Post.list.schema).query(({ ctx, input }) => Post.list(input, ctx.actor)),
  byId: authedProcedure.input(Post.get.schema).query(({ ctx, input }) => Post.get(input, ctx.actor)),
  create: writeProcedure.input(Post.create.schema).mutation(({ ctx, input }) => Post.create(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listPosts: op({
    summary: "A class's posts, newest first",
    params: Post.list.schema.pick({ class_id: true }),
    query: Post.list.schema.omit({ class_id: true }),
    response: Post.list.output,
    run: (caller, { params, query }) => caller.post.list({ ...query, class_id: params.class_id }),
  }),
  createPost: op({
    summary: "Post to a class's stream",
    status: 201,
    params: Post.create.schema.pick({ class_id: true }),
    body: Post.create.schema.omit({ class_id: true }),
    response: Post.create.output,
    run: (caller, { params, body }) => caller.post.create({ ...body, class_id: params.class_id }),
  }),
} satisfies Operations<typeof postRoutes>;

