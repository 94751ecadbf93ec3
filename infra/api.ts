import { cors } from "@classroom/api/routes";
import { apiRoutes } from "./api-routes.ts";
import { issuer, jwt, userPoolClient } from "./auth.ts";
import { files } from "./files.ts";
import { table } from "./storage.ts";

/**
 * The HTTP API. Every route (REST paths, `/trpc/{proxy+}`, health, the OpenAPI document and
 * its docs page) invokes ONE function: the API package routes inside it, so a request never
 * waits on a cold start per path and the bundle is built once. API Gateway checks the Cognito
 * JWT before invoking it on `auth` routes; the handler verifies the token again (aws-jwt-verify)
 * and checks class membership, so a misrouted open route cannot expose data.
 */

/** Signs the opaque pagination cursors. Generated once per stage; never leaves AWS. */
export const cursorSecret = new random.RandomPassword("CursorSecret", {
  length: 64,
  special: false,
});

export const apiFunction = new sst.aws.Function("ApiHandler", {
  handler: "packages/api/src/lambda/http.handler",
  runtime: "nodejs24.x",
  architecture: "arm64",
  memory: "1024 MB",
  timeout: "10 seconds",
  link: [table, files],
  environment: {
    CLASSROOM_TABLE: table.name,
    FILES_BUCKET: files.name,
    AUTH_ISSUER: issuer,
    AUTH_CLIENT_ID: userPoolClient.id,
    CURSOR_SECRET: cursorSecret.result,
  },
  logging: { retention: "1 month" },
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

export const api = new sst.aws.ApiGatewayV2("Api", {
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

export const authorizer = api.addAuthorizer({ name: "Cognito", jwt });

for (const route of apiRoutes()) {
  api.route(
    route.key,
    apiFunction.arn,
    route.auth ? { auth: { jwt: { authorizer: authorizer.id } } } : { auth: false },
  );
}
