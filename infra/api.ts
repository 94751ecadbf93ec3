import { cors } from "@classroom/api/routes";
import { apiConcurrencyFrom, apiFrontFrom } from "./api-front.ts";
import { apiRoutes } from "./api-routes.ts";
import { issuer, jwt, userPoolClient } from "./auth.ts";
import { files } from "./files.ts";
import { table } from "./storage.ts";

/**
 * The HTTP API: ONE function serves every path (REST paths, `/trpc/{proxy+}`, health, the
 * OpenAPI document and its docs page); the API package routes inside it, so a request never
 * waits on a cold start per path and the bundle is built once. The handler verifies the Cognito
 * access token itself (aws-jwt-verify) on every authenticated path and checks class
 * membership, so it needs no gateway in front to be safe.
 *
 * How requests reach it is chosen per deploy (`CLASSROOM_API_FRONT`, e.g. in `.env.<stage>`):
 * - `url` (the default): a Lambda function URL. No per-request charge beyond Lambda's; CORS
 *   from the API's own settings; throttled by the function's reserved concurrency
 *   (`CLASSROOM_API_CONCURRENCY`, default 100: a request beyond it is answered 429 by Lambda).
 * - `gateway`: an API Gateway HTTP API with one route per documented path and Cognito's JWT
 *   authorizer in front of the authenticated ones (rate limits, access logs and custom domains
 *   of API Gateway, at $1 per million requests).
 */
export const apiFront = apiFrontFrom(process.env.CLASSROOM_API_FRONT);

/** Signs the opaque pagination cursors. Generated once per stage; never leaves AWS. */
export const cursorSecret = new random.RandomPassword("CursorSecret", {
  length: 64,
  special: false,
});

export const apiFunction = new sst.aws.Function("ApiHandler", {
  handler: "packages/api/src/lambda/http.handler",
  runtime: "nodejs24.x",
  architecture: "arm64",
  // Lambda's CPU share grows with memory (1769 MB = one vCPU). An idle poll, the most frequent
  // request, is mostly a wait on DynamoDB: at 512 MB Lambda's bill for it (duration × memory
  // plus the request fee) would be about 10% lower, $0.03 per million, but its CPU work and a
  // cold start would take twice as long; 1769 MB saves a few ms for about 13% more.
  // docs/benchmarks.md has the figures.
  memory: "1024 MB",
  timeout: "10 seconds",
  // What the handler imports with `import()` (the API description, the S3 SDK) lands in chunks
  // of its own that a cold start does not load.
  nodejs: { splitting: true },
  link: [table, files],
  environment: {
    CLASSROOM_TABLE: table.name,
    FILES_BUCKET: files.name,
    AUTH_ISSUER: issuer,
    AUTH_CLIENT_ID: userPoolClient.id,
    CURSOR_SECRET: cursorSecret.result,
  },
  logging: { retention: "1 month" },
  ...(apiFront === "url"
    ? {
        // Lambda answers preflights itself and puts these headers on every response, in place
        // of the function's own: the very settings the API sends itself (packages/api/src/routes.ts).
        url: {
          authorization: "none" as const,
          cors: {
            allowOrigins: cors.allowOrigins,
            // A function URL takes at most six methods of at most six letters: OPTIONS (the
            // preflight itself) is implied.
            allowMethods: cors.allowMethods.filter((method) => method !== "OPTIONS"),
            allowHeaders: cors.allowHeaders,
            maxAge: `${cors.maxAgeSeconds} seconds` as const,
          },
        },
        concurrency: { reserved: apiConcurrencyFrom(process.env.CLASSROOM_API_CONCURRENCY) },
      }
    : {}),
  // The /docs page's renderer is read from disk, not imported, so the bundle does not carry it:
  // ship the npm package's standalone browser build beside the handler, where
  // packages/api/src/rest/docs.ts (DEPLOYED_RENDERER) looks first.
  copyFiles: [
    { from: "packages/api/node_modules/@scalar/api-reference/dist/browser/standalone.js", to: "docs/api-reference.js" },
  ],
  // Lambda refuses active tracing unless the role may write segments.
  permissions: [
    { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
  ],
  transform: {
    function: { tracingConfig: { mode: "Active" } },
  },
});

/** The API Gateway HTTP API, when the stage is served through one. */
export const api = apiFront === "gateway" ? gateway() : undefined;

/** Where clients send requests (the web app's VITE_API_URL, the stage's `api` output). */
export const apiUrl = api ? api.url : apiFunction.url;

/** The API's request metrics, from whichever front serves it (the dashboard and the alarms use them). */
export interface ApiMetrics {
  namespace: string;
  dimensions: Record<string, $util.Input<string>>;
  requests: string;
  latency: string;
  clientErrors: string;
  serverErrors: string;
}

export const apiMetrics: ApiMetrics = api
  ? {
      namespace: "AWS/ApiGateway",
      dimensions: { ApiId: api.nodes.api.id },
      requests: "Count",
      latency: "Latency",
      clientErrors: "4xx",
      serverErrors: "5xx",
    }
  : {
      namespace: "AWS/Lambda",
      dimensions: { FunctionName: apiFunction.name },
      requests: "UrlRequestCount",
      latency: "UrlRequestLatency",
      clientErrors: "Url4xxCount",
      serverErrors: "Url5xxCount",
    };

function gateway() {
  const api = new sst.aws.ApiGatewayV2("Api", {
    // API Gateway answers preflights itself and ignores the function's CORS headers, so it gets
    // the very settings the API sends itself (packages/api/src/routes.ts).
    cors: {
      allowOrigins: cors.allowOrigins,
      allowMethods: cors.allowMethods,
      allowHeaders: cors.allowHeaders,
      maxAge: `${cors.maxAgeSeconds} seconds`,
    },
    accessLog: { retention: "1 month" },
  });

  const authorizer = api.addAuthorizer({ name: "Cognito", jwt });

  for (const route of apiRoutes()) {
    api.route(
      route.key,
      apiFunction.arn,
      route.auth ? { auth: { jwt: { authorizer: authorizer.id } } } : { auth: false },
    );
  }
  return api;
}
