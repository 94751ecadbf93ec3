/**
 * Turns anything a call can throw into words for a person. The API writes its error messages
 * for people (`error.message`); its codes (`error.data.appCode`) are for programs and are never shown.
 */
import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  appCode?: string;
  retryAfterSeconds?: number;
}

const OFFLINE = "We can't reach Classroom right now. Check your connection and try again.";
const FALLBACK = "Something went wrong. Please try again.";

function dataOf(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = dataOf(error);
    if (!data) return OFFLINE; // no answer from the API at all (network, CORS, proxy error page)
    return error.message || FALLBACK;
  }
  if (error instanceof Error && error.name === "SignInError") return error.message;
  return FALLBACK;
}

/** HTTP status of a failed call; undefined when the API did not answer. */
export function statusOf(error: unknown): number | undefined {
  return dataOf(error)?.httpStatus;
}

export function isUnauthorized(error: unknown): boolean {
  return dataOf(error)?.code === "UNAUTHORIZED";
}

export function isNotFound(error: unknown): boolean {
  return dataOf(error)?.code === "NOT_FOUND";
}

/** The API's code for the error (`class.not_found`, `chat.muted`…), for deciding what to do; never shown. */
export function appCodeOf(error: unknown): string | undefined {
  return dataOf(error)?.appCode;
}

/**
 * The class is gone for this person: it does not exist or they are no longer a member (the API
 * answers both alike). On an open class page this means they were removed.
 */
export function isClassGone(error: unknown): boolean {
  return appCodeOf(error) === "class.not_found";
}

/** Worth trying again with the same input: no answer, too many requests, or a server-side failure. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = statusOf(error);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** How long to wait before retry `attempt` (1-based): the server's Retry-After when it gave one, else backoff. */
export function retryDelayMs(error: unknown, attempt: number): number {
  const retryAfter = dataOf(error)?.retryAfterSeconds;
  if (retryAfter) return Math.min(retryAfter, 10) * 1000;
  return Math.min(500 * 2 ** (attempt - 1), 4000);
}
