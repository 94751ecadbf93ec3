/**
 * Every HTTP route the API serves, in one list: the REST adapter dispatches on it and the
 * infra creates exactly these API Gateway routes from it (JWT authorizer where `auth`).
 * Pure data, so the infra can import it without pulling in the handlers.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RestRoute {
  method: HttpMethod;
  /** API Gateway style: `{name}` is a path parameter. */
  path: string;
  operation: string;
  auth: boolean;
}

export const restRoutes = [
  // The four documented paths.
  { method: "GET", path: "/chat/messages/{class_id}", operation: "listMessages", auth: true },
  { method: "POST", path: "/chat/messages", operation: "sendMessage", auth: true },
  { method: "PUT", path: "/chat/messages/{id}/reactions", operation: "toggleReaction", auth: true },
  { method: "DELETE", path: "/comments/{id}", operation: "deleteComment", auth: true },
  // What those need to be usable.
  { method: "GET", path: "/classes", operation: "listMyClasses", auth: true },
  { method: "POST", path: "/classes", operation: "createClass", auth: true },
  { method: "GET", path: "/classes/{class_id}", operation: "getClass", auth: true },
  { method: "GET", path: "/classes/{class_id}/members", operation: "listMembers", auth: true },
  { method: "POST", path: "/classes/{class_id}/members", operation: "addMember", auth: true },
  { method: "DELETE", path: "/classes/{class_id}/members/{user_id}", operation: "removeMember", auth: true },
  { method: "GET", path: "/classes/{class_id}/posts", operation: "listPosts", auth: true },
  { method: "POST", path: "/classes/{class_id}/posts", operation: "createPost", auth: true },
  { method: "GET", path: "/posts/{post_id}/comments", operation: "listComments", auth: true },
  { method: "POST", path: "/posts/{post_id}/comments", operation: "createComment", auth: true },
  { method: "GET", path: "/classes/{class_id}/audit", operation: "listAuditEvents", auth: true },
  { method: "GET", path: "/classes/{class_id}/stats", operation: "getClassStats", auth: true },
  // Open: liveness and the API description.
  { method: "GET", path: "/health", operation: "health", auth: false },
  { method: "GET", path: "/openapi.json", operation: "openapi", auth: false },
  { method: "GET", path: "/docs", operation: "docs", auth: false },
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
