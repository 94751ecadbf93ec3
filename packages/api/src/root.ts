import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./router/audit.ts";
import { chatRouter } from "./router/chat.ts";
import { classRouter } from "./router/class.ts";
import { commentRouter } from "./router/comment.ts";
import { memberRouter } from "./router/member.ts";
import { postRouter } from "./router/post.ts";
import { authedProcedure, createCallerFactory, publicProcedure, router } from "./trpc.ts";

export const appRouter = router({
  health: publicProcedure.query(() => ({ ok: true as const })),
  /** Who the token belongs to (access tokens carry no name or email). */
  me: authedProcedure.query(({ ctx }) => ({ user_id: ctx.actor.userId, name: ctx.actor.name, email: ctx.actor.email ?? null })),
  class: classRouter,
  member: memberRouter,
  chat: chatRouter,
  post: postRouter,
  comment: commentRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
