import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./router/audit.ts";
import { chatRouter } from "./router/chat.ts";
import { classRouter } from "./router/class.ts";
import { commentRouter } from "./router/comment.ts";
import { memberRouter } from "./router/member.ts";
import { postRouter } from "./router/post.ts";
import { createCallerFactory, publicProcedure, router } from "./trpc.ts";

export const appRouter = router({
  health: publicProcedure.query(() => ({ ok: true as const })),
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
