import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { procedures as assignment } from "./router/assignment/index.ts";
import { procedures as audit } from "./router/audit/index.ts";
import { procedures as chat } from "./router/chat/index.ts";
import { procedures as classes } from "./router/class/index.ts";
import { procedures as comment } from "./router/comment/index.ts";
import { procedures as file } from "./router/file/index.ts";
import { procedures as gradebook } from "./router/gradebook/index.ts";
import { procedures as member } from "./router/member/index.ts";
import { procedures as notification } from "./router/notification/index.ts";
import { procedures as post } from "./router/post/index.ts";
import { procedures as recommendation } from "./router/recommendation/index.ts";
import { procedures as standing } from "./router/standing/index.ts";
import { procedures as submission } from "./router/submission/index.ts";
import { authedProcedure, createCallerFactory, publicProcedure, router } from "./trpc.ts";

/** The app's router: each domain's slice contributes its procedures (one line per domain). */
export const appRouter = router({
  health: publicProcedure.query(() => ({ ok: true as const })),
  /** Who the token belongs to (access tokens carry no name or email). */
  me: authedProcedure.query(({ ctx }) => ({ user_id: ctx.actor.userId, name: ctx.actor.name, email: ctx.actor.email ?? null })),
  class: classes,
  member,
  chat,
  post,
  comment,
  audit,
  assignment,
  submission,
  gradebook,
  standing,
  notification,
  file,
  recommendation,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
