/**
 * Every HTTP route the API serves, in one list made of each domain's routes: the REST adapter
 * dispatches on it and the infra creates exactly these API Gateway routes from it (JWT
 * authorizer where `auth`). Pure data (each `router/<domain>/routes.ts` imports nothing), so
 * the infra can import it without pulling in the handlers.
 */
import { assignmentRoutes } from "./router/assignment/routes.ts";
import { auditRoutes } from "./router/audit/routes.ts";
import { chatRoutes } from "./router/chat/routes.ts";
import { classRoutes } from "./router/class/routes.ts";
import { commentRoutes } from "./router/comment/routes.ts";
import { fileRoutes } from "./router/file/routes.ts";
import { gradebookRoutes } from "./router/gradebook/routes.ts";
import { memberRoutes } from "./router/member/routes.ts";
import { notificationRoutes } from "./router/notification/routes.ts";
import { postRoutes } from "./router/post/routes.ts";
import { recommendationRoutes } from "./router/recommendation/routes.ts";
import { standingRoutes } from "./router/standing/routes.ts";
import { submissionRoutes } from "./router/submission/routes.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RestRoute {
  method: HttpMethod;
  /** API Gateway style: `{name}` is a path parameter. */
  path: string;
  /** The operation's name, unique across the API (the OpenAPI operationId). */
  operation: string;
  auth: boolean;
}

/** Open routes: liveness and the API description. */
export const openRoutes = [
  { method: "GET", path: "/health", operation: "health", auth: false },
  { method: "GET", path: "/openapi.json", operation: "openapi", auth: false },
  { method: "GET", path: "/docs", operation: "docs", auth: false },
  { method: "GET", path: "/docs/assets/{file}", operation: "docsAsset", auth: false },
] as const satisfies readonly RestRoute[];

export const restRoutes = [
  ...chatRoutes,
  ...classRoutes,
  ...memberRoutes,
  ...postRoutes,
  ...commentRoutes,
  ...auditRoutes,
  ...assignmentRoutes,
  ...submissionRoutes,
  ...gradebookRoutes,
  ...standingRoutes,
  ...notificationRoutes,
  ...fileRoutes,
  ...recommendationRoutes,
  ...openRoutes,
] as const satisfies readonly RestRoute[];

export type RestOperation = (typeof restRoutes)[number]["operation"];

/** tRPC (queries and mutations, batched) under one proxy route; procedures check the token. */
export const TRPC_PREFIX = "/trpc";
export const trpcRoute = { method: "ANY", path: `${TRPC_PREFIX}/{proxy+}`, auth: true } as const;

/** Route keys as API Gateway HTTP APIs write them ("GET /classes", "ANY /trpc/{proxy+}"). */
export const gatewayRoutes: ReadonlyArray<{ key: string; auth: boolean }> = [
  ...restRoutes.map((r) => ({ key: `${r.method} ${r.path}`, auth: r.auth })),
  { key: `${trpcRoute.method} ${trpcRoute.path}`, auth: trpcRoute.auth },
];

/**
 * Cross-origin settings: the API sends them itself (locally, behind a function URL) and the
 * infra gives the same to API Gateway, which answers preflights on its own. Any origin: auth
 * is a bearer token, never a cookie.
 */
export const cors = {
  allowOrigins: ["*"],
  allowMethods: [...new Set<HttpMethod | "HEAD" | "OPTIONS">([...restRoutes.map((r) => r.method), "HEAD", "POST", "OPTIONS"])],
  allowHeaders: ["authorization", "content-type", "trpc-accept", "x-trpc-source"],
  maxAgeSeconds: 600,
};
