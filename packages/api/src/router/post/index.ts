import * as Post from "@classroom/core/post";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { postRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Post.list.schema).query(({ ctx, input }) => Post.list(input, ctx.actor)),
  byId: authedProcedure.input(Post.get.schema).query(({ ctx, input }) => Post.get(input, ctx.actor)),
  create: writeProcedure.input(Post.create.schema).mutation(({ ctx, input }) => Post.create(input, ctx.actor)),
  edit: writeProcedure.input(Post.edit.schema).mutation(({ ctx, input }) => Post.edit(input, ctx.actor)),
  remove: writeProcedure.input(Post.remove.schema).mutation(({ ctx, input }) => Post.remove(input, ctx.actor)),
  lock: writeProcedure.input(Post.lock.schema).mutation(({ ctx, input }) => Post.lock(input, ctx.actor)),
  pin: writeProcedure.input(Post.pin.schema).mutation(({ ctx, input }) => Post.pin(input, ctx.actor)),
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
  getPost: op({
    summary: "A post",
    params: Post.get.schema,
    response: Post.get.output,
    run: (caller, { params }) => caller.post.byId(params),
  }),
  editPost: op({
    summary: "Edit your post",
    params: Post.edit.schema.pick({ post_id: true }),
    body: Post.edit.schema.omit({ post_id: true }),
    response: Post.edit.output,
    run: (caller, { params, body }) => caller.post.edit({ ...body, post_id: params.post_id }),
  }),
  removePost: op({
    summary: "Remove a post (its author or a teacher of the class)",
    description: "The post and its comments are no longer listed; a pinned post is unpinned.",
    params: Post.remove.schema,
    response: Post.remove.output,
    run: (caller, { params }) => caller.post.remove(params),
  }),
  lockPost: op({
    summary: "Lock or unlock a post's comments (teachers)",
    params: Post.lock.schema.pick({ post_id: true }),
    body: Post.lock.schema.omit({ post_id: true }),
    response: Post.lock.output,
    run: (caller, { params, body }) => caller.post.lock({ ...body, post_id: params.post_id }),
  }),
  pinPost: op({
    summary: "Pin or unpin a post (teachers; at most 3 pinned per class)",
    params: Post.pin.schema.pick({ post_id: true }),
    body: Post.pin.schema.omit({ post_id: true }),
    response: Post.pin.output,
    run: (caller, { params, body }) => caller.post.pin({ ...body, post_id: params.post_id }),
  }),
} satisfies Operations<typeof postRoutes>;

