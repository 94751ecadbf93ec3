/**
 * The whole HTTP API as one handler: an `ApiRequest` in, an `ApiResponse` out, both plain
 * values. tRPC under /trpc and the REST paths are served from the same router; Lambda
 * (lambda/http.ts) and the local server (server.ts) only translate their request types into
 * this. The REST paths never build fetch objects (`Request`, `Response`, `Headers`): those cost
 * time on every request, and the first one a process builds loads fetch's implementation, which
 * a cold start would pay for. Only tRPC's adapter, which takes a `Request`, gets one.
 *
 * The API's description (the OpenAPI document, zod's JSON Schema conversion, the /docs page) is
 * imported on its first request, never at start: it stays out of the module graph every other
 * request loads, and the Lambda bundle, built with code splitting, keeps it in a chunk of its
 * own that a cold start does not read.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { authenticate } from "./auth.ts";
import { invalidInput } from "@classroom/core/errors";
import { MAX_BATCH_SIZE } from "@classroom/core/limits";
import { describeError, type PublicError } from "./errors.ts";
import { logger } from "./log.ts";
import { appRouter, createCaller } from "./root.ts";
import { Download } from "./rest/operation.ts";
import { operations } from "./rest/operations.ts";
import { TRPC_PREFIX, cors, restRoutes, type RestRoute } from "./routes.ts";
import { createContext } from "./trpc.ts";

/** Requests larger than this are refused before any work (the longest valid body is far smaller). */
export const MAX_BODY_BYTES = 64 * 1024;


const CORS: Readonly<Record<string, string>> = Object.freeze({
  "access-control-allow-origin": cors.allowOrigins.join(","),
  "access-control-allow-methods": cors.allowMethods.join(","),
  "access-control-allow-headers": cors.allowHeaders.join(","),
  "access-control-max-age": String(cors.maxAgeSeconds),
});

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json; charset=utf-8", ...CORS });

/** A request as an adapter hands it over. */
export interface ApiRequest {
  method: string;
  /** Scheme and host the request was sent to (`https://api.example.com`). */
  origin: string;
  /** Path and query string as sent (`/chat/messages/01J…?limit=50`). */
  target: string;
  /** By lower-case name; a repeated header's values joined with ", ". */
  headers: Readonly<Record<string, string | undefined>>;
  /** As received; none for GET and HEAD. */
  body?: string | Uint8Array<ArrayBuffer>;
}

/** The answer, for the adapter to send as it is. Every body this API answers is text. */
export interface ApiResponse {
  status: number;
  /** Shared between responses: copy before changing. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: JSON.stringify(body) };
}

function errorResponse(error: PublicError): ApiResponse {
  return json(
    error.status,
    { error: { code: error.code, message: error.message } },
    error.retryAfterSeconds ? { "retry-after": String(error.retryAfterSeconds) } : {},
  );
}

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = restRoutes.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), "([^/]+)"));
  return { route, pattern: new RegExp(`^${source}$`), names };
});

function match(method: string, pathname: string) {
  let pathMatched = false;
  for (const { route, pattern, names } of compiled) {
    const found = pattern.exec(pathname);
    if (!found) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodePathParam(found[i + 1]!);
    });
    return { route, params };
  }
  return pathMatched ? "method" : undefined;
}

/** A malformed escape (`%zz`) is left as sent: the parameter's schema then refuses it with 400, not a 500. */
function decodePathParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Request bodies decode as fetch's `text()` does: UTF-8, a leading byte order mark dropped. */
const requestText = new TextDecoder("utf-8");

function readJson(body: ApiRequest["body"]): unknown {
  const text = body === undefined ? "" : typeof body === "string" ? body.replace(/^\uFEFF/, "") : requestText.decode(body);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The request body is not valid JSON." });
  }
}

async function rest(request: ApiRequest, url: URL): Promise<ApiResponse> {
  const found = match(request.method, url.pathname);
  if (found === "method") return errorResponse({ status: 405, code: "request.method_not_supported", message: `${request.method} is not supported here.` });
  if (!found) return errorResponse({ status: 404, code: "route.not_found", message: "There is nothing at this path." });
  const { route, params } = found;
  if (route.operation === "health") return json(200, { ok: true });
  if (route.operation === "openapi") return json(200, (await import("./rest/openapi.ts")).openApiDocument());
  if (route.operation === "docs") {
    const { docsPage } = await import("./rest/docs.ts");
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", ...CORS }, body: docsPage() };
  }
  if (route.operation === "docsAsset") {
    const { docsAsset } = await import("./rest/docs.ts");
    const asset = docsAsset(params.file ?? "");
    if (!asset) return errorResponse({ status: 404, code: "route.not_found", message: "There is nothing at this path." });
    return { status: 200, headers: { ...CORS, ...asset.headers }, body: asset.body };
  }
  const operation = operations[route.operation as keyof typeof operations];
  const authorization = request.headers.authorization ?? null;
  // Authenticate before looking at the input: a caller without a valid token learns nothing.
  if (route.auth) await authenticate(authorization);
  const caller = createCaller(createContext(authorization));
  const input: Record<string, unknown> = {};
  const parts = [
    ["params", operation.params, params],
    ["query", operation.query, Object.fromEntries(url.searchParams)],
    ["body", operation.body, operation.body ? readJson(request.body) : undefined],
  ] as const;
  for (const [name, schema, value] of parts) {
    if (!schema) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) return errorResponse(describeError(invalidInput(parsed.error.issues)));
    input[name] = parsed.data;
  }
  const data = await operation.run(caller, { ...input, accept: request.headers.accept ?? null } as never);
  if (data instanceof Download) return { status: operation.status ?? 200, headers: { ...CORS, ...data.headers() }, body: data.body };
  return json(operation.status ?? 200, data);
}

/** tRPC's fetch adapter, the one place a `Request` is built. */
async function trpc(request: ApiRequest): Promise<ApiResponse> {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.push([name, value]);
  const authorization = request.headers.authorization ?? null;
  const response = await fetchRequestHandler({
    endpoint: TRPC_PREFIX,
    req: new Request(request.origin + request.target, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) }),
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createContext(authorization),
    responseMeta({ errors }) {
      const retry = errors.map((e) => describeError(e).retryAfterSeconds).find(Boolean);
      return { headers: { ...CORS, ...(retry ? { "retry-after": String(retry) } : {}) } };
    },
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

export async function handle(request: ApiRequest): Promise<ApiResponse> {
  // HEAD is answered wherever GET is: the GET's status and headers, without its body.
  if (request.method === "HEAD") {
    const { body: _, ...get } = request;
    const response = await handle({ ...get, method: "GET" });
    return { status: response.status, headers: { ...response.headers, "content-length": String(Buffer.byteLength(response.body)) }, body: "" };
  }
  if (request.method === "OPTIONS") return { status: 204, headers: CORS, body: "" };
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > MAX_BODY_BYTES) {
    return errorResponse({ status: 413, code: "request.payload_too_large", message: "The request body is too large." });
  }
  let url: URL;
  try {
    url = new URL(request.origin + request.target);
  } catch {
    return errorResponse({ status: 400, code: "request.invalid_url", message: "The request's address is not valid." });
  }
  try {
    if (url.pathname === TRPC_PREFIX || url.pathname.startsWith(`${TRPC_PREFIX}/`)) return await trpc(request);
    return await rest(request, url);
  } catch (error) {
    const described = describeError(error);
    // Failures inside a procedure were logged by the tRPC middleware already.
    if (described.status >= 500 && !(error instanceof TRPCError)) logger.error("request failed", { path: url.pathname, code: described.code, error: error as Error });
    return errorResponse(described);
  }
}
