/**
 * tRPC set-up: context, the error formatter, and the procedure builders every router uses.
 *   publicProcedure  no token needed (health only)
 *   authedProcedure  a verified Cognito access token; `ctx.actor` is the caller
 *   writeProcedure   authed + the per-user write rate limit
 * Membership and roles are checked by the core functions, per class.
 */
import type { Actor } from "@classroom/core/actor";
import * as RateLimit from "@classroom/core/ratelimit";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { authenticate } from "./auth.ts";
import { describeError, toTRPCError } from "./errors.ts";
import { logger } from "./log.ts";

export interface Context {
  /** The raw `Authorization` header; verified lazily by the procedures that need it. */
  authorization: string | null;
}

export function createContext(authorization: string | null): Context {
  return { authorization };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const described = describeError(error);
    return {
      ...shape,
      message: described.message,
      data: {
        code: shape.data.code,
        httpStatus: described.status,
        path: shape.data.path,
        appCode: described.code,
        ...(described.retryAfterSeconds ? { retryAfterSeconds: described.retryAfterSeconds } : {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain errors to tRPC codes and logs what the client will not see. */
const errors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const error = toTRPCError(result.error);
  if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
    logger.error("procedure failed", { path, code: describeError(error).code, error: result.error.cause ?? result.error });
  }
  throw error;
});

export const publicProcedure = t.procedure.use(errors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const actor: Actor = await authenticate(ctx.authorization);
  return next({ ctx: { ...ctx, actor } });
});

export const writeProcedure = authedProcedure.use(async ({ ctx, next }) => {
  await RateLimit.consume(ctx.actor.userId, "write");
  return next();
});
