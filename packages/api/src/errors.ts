/**
 * The one mapping from anything thrown to what a client sees: HTTP status, stable dotted
 * code, and a message for a person. The tRPC error formatter and the REST adapter both use
 * it. Unknown errors become 500 `internal` with no detail (the detail goes to the log).
 */
import { DomainError, type ErrorKind, invalidInput } from "@classroom/core/errors";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import * as z from "zod";

export interface PublicError {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

/** The REST side's error body, as the OpenAPI document describes it. */
export const ErrorBody = z
  .object({ error: z.object({ code: z.string().meta({ example: "comment.not_found" }), message: z.string() }) })
  .meta({ id: "Error" });

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export const TRPC_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  bad_request: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  unprocessable: "UNPROCESSABLE_CONTENT",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
};

const TRPC_STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  UNPROCESSABLE_CONTENT: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
};

const UNAVAILABLE_NAMES = new Set([
  "TimeoutError",
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);

/** True when the error (or its cause chain) says the database could not be reached or is overloaded. */
function isUnavailable(error: unknown): boolean {
  for (let e = error as { name?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; depth++) {
    if ((e.name && UNAVAILABLE_NAMES.has(e.name)) || (e.code && UNAVAILABLE_CODES.has(e.code))) return true;
    if (Array.isArray((e as { errors?: unknown[] }).errors)) {
      if ((e as { errors: unknown[] }).errors.some(isUnavailable)) return true;
    }
    e = e.cause as typeof e;
  }
  return false;
}


export function describeError(error: unknown): PublicError {
  const cause = error instanceof TRPCError ? error.cause : undefined;
  const domain = error instanceof DomainError ? error : cause instanceof DomainError ? cause : undefined;
  if (domain) {
    return {
      status: STATUS[domain.kind],
      code: domain.code,
      message: domain.message,
      ...(domain.retryAfterSeconds ? { retryAfterSeconds: domain.retryAfterSeconds } : {}),
    };
  }
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (error instanceof TRPCError && error.code === "BAD_REQUEST" && Array.isArray(issues)) return describeError(invalidInput(issues));
  if (isUnavailable(error)) {
    return { status: 503, code: "service.unavailable", message: "The service is briefly unavailable. Please try again." };
  }
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
    return { status: TRPC_STATUS[error.code] ?? 400, code: `request.${error.code.toLowerCase()}`, message: error.message };
  }
  return { status: 500, code: "internal", message: "Something went wrong on our side. Please try again." };
}

/**
 * Gives a failed procedure's error the tRPC code (and so the HTTP status) it deserves:
 * domain errors by their kind, an unreachable database as 503, the rest unchanged.
 */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DomainError) return new TRPCError({ code: TRPC_CODE[cause.kind], message: cause.message, cause });
  if (error.code === "INTERNAL_SERVER_ERROR" && isUnavailable(cause)) {
    const unavailable = new DomainError("unavailable", "service.unavailable", "The service is briefly unavailable. Please try again.");
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unavailable.message, cause: unavailable });
  }
  return error;
}
