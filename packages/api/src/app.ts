/**
 * The whole HTTP API as one fetch-style handler: `Request` in, `Response` out. tRPC under
 * /trpc and the REST paths are served from the same router; Lambda (lambda/http.ts) and
 * the local server (server.ts) only translate their request types into this.
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


const CORS = {
  "access-control-allow-origin": cors.allowOrigins.join(","),
  "access-control-allow-methods": cors.allowMethods.join(","),
  "access-control-allow-headers": cors.allowHeaders.join(","),
  "access-control-max-age": String(cors.maxAgeSeconds),
};

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", ...CORS };

/**
 * The text of the bodies built here, by response: an adapter (server.ts, lambda/http.ts) sends
 * it as it is instead of reading the body stream back (`responseText`).
 */
const texts = new WeakMap<Response, string>();

/** Decodes bodies read back from their stream, keeping a leading byte order mark (a CSV's, for spreadsheets). */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * A response's body as text (every body this API answers is text): without reading its stream
 * when it was built here from a string; otherwise read back, byte order mark included.
 */
export function responseText(response: Response): Promise<string> | string {
  return texts.get(response) ?? response.arrayBuffer().then((bytes) => utf8.decode(bytes));
}

function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const response = new Response(text, { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS });
  texts.set(response, text);
  return response;
}

function errorResponse(error: PublicError): Response {
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

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The request body is not valid JSON." });
  }
}


async function rest(request: Request, url: URL): Promise<Response> {
  const found = match(request.method, url.pathname);
  if (found === "method") return errorResponse({ status: 405, code: "request.method_not_supported", message: `${request.method} is not supported here.` });
  if (!found) return errorResponse({ status: 404, code: "route.not_found", message: "There is nothing at this path." });
  const { route, params } = found;
  if (route.operation === "health") return json(200, { ok: true });
  if (route.operation === "openapi") return json(200, (await import("./rest/openapi.ts")).openApiDocument());
  if (route.operation === "docs") {
    const { docsPage } = await import("./rest/docs.ts");
    return new Response(docsPage(), { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", ...CORS } });
  }
  if (route.operation === "docsAsset") {
    const { docsAsset } = await import("./rest/docs.ts");
    const asset = docsAsset(params.file ?? "");
    if (!asset) return errorResponse({ status: 404, code: "route.not_found", message: "There is nothing at this path." });
    return asset;
  }
  const operation = operations[route.operation as keyof typeof operations];
  // Authenticate before looking at the input: a caller without a valid token learns nothing.
  if (route.auth) await authenticate(request.headers.get("authorization"));
  const caller = createCaller(createContext(request.headers));
  const input: Record<string, unknown> = {};
  const parts = [
    ["params", operation.params, params],
    ["query", operation.query, Object.fromEntries(url.searchParams)],
    ["body", operation.body, operation.body ? await readJson(request) : undefined],
  ] as const;
  for (const [name, schema, value] of parts) {
    if (!schema) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) return errorResponse(describeError(invalidInput(parsed.error.issues)));
    input[name] = parsed.data;
  }
  const data = await operation.run(caller, { ...input, accept: request.headers.get("accept") } as never);
  if (data instanceof Download) return new Response(data.body, { status: operation.status ?? 200, headers: { ...CORS, ...data.headers() } });
  return json(operation.status ?? 200, data);
}

export async function handle(request: Request): Promise<Response> {
  // HEAD is answered wherever GET is: the GET's status and headers, without its body.
  if (request.method === "HEAD") {
    const response = await handle(new Request(request.url, { method: "GET", headers: request.headers }));
    const headers = new Headers(response.headers);
    headers.set("content-length", String((await response.arrayBuffer()).byteLength));
    return new Response(null, { status: response.status, headers });
  }
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    return errorResponse({ status: 413, code: "request.payload_too_large", message: "The request body is too large." });
  }
  const url = new URL(request.url);
  try {
    if (url.pathname === TRPC_PREFIX || url.pathname.startsWith(`${TRPC_PREFIX}/`)) {
      const response = await fetchRequestHandler({
        endpoint: TRPC_PREFIX,
        req: request,
        router: appRouter,
        maxBatchSize: MAX_BATCH_SIZE,
        createContext: () => createContext(request.headers),
        responseMeta({ errors }) {
          const retry = errors.map((e) => describeError(e).retryAfterSeconds).find(Boolean);
          return { headers: { ...CORS, ...(retry ? { "retry-after": String(retry) } : {}) } };
        },
      });
      return response;
    }
    return await rest(request, url);
  } catch (error) {
    const described = describeError(error);
    // Failures inside a procedure were logged by the tRPC middleware already.
    if (described.status >= 500 && !(error instanceof TRPCError)) logger.error("request failed", { path: url.pathname, code: described.code, error: error as Error });
    return errorResponse(described);
  }
}
