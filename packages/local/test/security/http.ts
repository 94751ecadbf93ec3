/** Request helpers shared by the security suites: tRPC over plain HTTP, error shapes, a bounded pool. */
import { expect } from "vitest";
import { call, type Reply } from "../support.ts";

/** A tRPC call as the typed client sends it (superjson envelope), but with any input at all. */
export function trpc(
  type: "query" | "mutation",
  path: string,
  input: unknown,
  options: { token?: string; rawInput?: string } = {},
): Promise<Reply> {
  const envelope = options.rawInput ?? JSON.stringify({ json: input });
  if (type === "query") {
    const query = input === undefined && options.rawInput === undefined ? "" : `?input=${encodeURIComponent(envelope)}`;
    return call("GET", `/trpc/${path}${query}`, options.token ? { token: options.token } : {});
  }
  return call("POST", `/trpc/${path}`, { ...(options.token ? { token: options.token } : {}), rawBody: envelope });
}

/** The REST error body: exactly `{ error: { code, message } }`, with no stack, SQL-ish or SDK detail. */
export function restErrorProblem(reply: Reply): string | undefined {
  const body = reply.body as any;
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "error") return `not an error body: ${JSON.stringify(body)?.slice(0, 200)}`;
  const error = body.error;
  if (typeof error !== "object" || error === null || Object.keys(error).sort().join() !== "code,message") return `error keys: ${JSON.stringify(error)?.slice(0, 200)}`;
  if (typeof error.code !== "string" || !/^[a-z_]+(\.[a-z_]+)+$|^internal$/.test(error.code)) return `code: ${error.code}`;
  if (typeof error.message !== "string" || error.message.length === 0) return "empty message";
  return leak(error.message);
}

/** A tRPC error body (single call): the formatter's shape with our app code and the HTTP status. */
export function trpcErrorProblem(reply: Reply, item: any = reply.body): string | undefined {
  const json = item?.error?.json;
  if (!json || typeof json.message !== "string" || typeof json.code !== "number") return `not a tRPC error: ${JSON.stringify(item)?.slice(0, 200)}`;
  const data = json.data;
  if (!data || typeof data.code !== "string" || typeof data.httpStatus !== "number" || typeof data.appCode !== "string") {
    return `tRPC error data: ${JSON.stringify(data)?.slice(0, 200)}`;
  }
  if ("stack" in data || "stack" in json) return "stack trace in the response";
  if (!Array.isArray(reply.body) && data.httpStatus !== reply.status) return `httpStatus ${data.httpStatus} != status ${reply.status}`;
  return leak(json.message);
}

const LEAKS = /electrodb|dynamo|exception|aws-sdk|node_modules|\bat [\w.<>]+ \(|ECONN|jwks|signature|kid\b|issuer/i;
function leak(message: string): string | undefined {
  return LEAKS.test(message) ? `internal detail in the message: ${message.slice(0, 200)}` : undefined;
}

export function expectRestError(reply: Reply, status: number, code?: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(restErrorProblem(reply)).toBeUndefined();
  if (code) expect(reply.body.error.code).toBe(code);
}

/** Runs `work` over `items` with at most `width` in flight. */
export async function inPool<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
