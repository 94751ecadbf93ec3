/**
 * The Lambda entry point, invoked in-process with the events API Gateway HTTP APIs and Lambda
 * function URLs send (both payload format 2.0), against the same local services.
 */
import { handler } from "@classroom/api/lambda/http";
import { gatewayRoutes } from "@classroom/api/routes";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { makeClass, newUser } from "./support.ts";

/** An API Gateway HTTP API event, or (`functionUrl`) what a function URL sends: no stage, no authorizer, its own domain. */
function event(method: string, path: string, options: { token?: string; body?: unknown; query?: string; functionUrl?: boolean } = {}): APIGatewayProxyEventV2 {
  const domainPrefix = options.functionUrl ? "abcdefghijklmnopqrstuvwxyz012345" : "api";
  const domainName = options.functionUrl ? `${domainPrefix}.lambda-url.us-east-1.on.aws` : "api.example.test";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: options.query ?? "",
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName,
      domainPrefix,
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "req",
      routeKey: "$default",
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  };
}

const context = { functionName: "api", awsRequestId: "req", invokedFunctionArn: "arn", memoryLimitInMB: "1024" } as unknown as Context;

describe("Lambda http handler", () => {
  it("serves a REST path", async () => {
    const { class_id, teacher } = await makeClass(0);
    const sent = await handler(event("POST", "/chat/messages", { token: teacher.token, body: { class_id, content: "from lambda" } }), context);
    expect(sent.statusCode).toBe(201);
    const listed = await handler(event("GET", `/chat/messages/${class_id}`, { token: teacher.token, query: "limit=10" }), context);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body!).messages.map((m: { content: string }) => m.content)).toEqual(["from lambda"]);
  });

  it("reads header names in any case (an event made by hand, not by API Gateway)", async () => {
    const { class_id, teacher } = await makeClass(0);
    const base = event("GET", `/chat/messages/${class_id}`, { query: "limit=10" });
    const reply = await handler({ ...base, headers: { Authorization: `Bearer ${teacher.token}` } }, context);
    expect(reply.statusCode).toBe(200);
    const tooBig = await handler({ ...event("POST", "/chat/messages", { token: teacher.token, body: {} }), headers: { Authorization: `Bearer ${teacher.token}`, "Content-Length": "70000" } }, context);
    expect(tooBig.statusCode).toBe(413);
  });

  it("serves a tRPC call and maps errors", async () => {
    const { class_id, teacher } = await makeClass(0);
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ class_id })));
    const reply = await handler(event("GET", "/trpc/class.byId", { token: teacher.token, query: `input=${input}` }), context);
    expect(reply.statusCode).toBe(200);
    expect(superjson.deserialize(JSON.parse(reply.body!).result.data)).toMatchObject({ class_id, role: "teacher" });
    const denied = await handler(event("GET", "/trpc/class.byId", { query: `input=${input}` }), context);
    expect(denied.statusCode).toBe(401);
  });
});

describe("a spreadsheet download through Lambda", () => {
  it("keeps the CSV's byte order mark, so spreadsheets read it as UTF-8", async () => {
    const { class_id, teacher } = await makeClass(0);
    const reply = await handler(event("GET", `/classes/${class_id}/gradebook`, { token: teacher.token, query: "format=csv", functionUrl: true }), context);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers?.["content-type"]).toBe("text/csv; charset=utf-8");
    const bytes = reply.isBase64Encoded ? Buffer.from(reply.body, "base64") : Buffer.from(reply.body, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toMatch(/^\uFEFFStudent,Email,Average \(%\)/);
  });
});

/** A concrete path for a route key's pattern: a made-up id for each parameter, a procedure for tRPC's proxy. */
const concrete = (pattern: string) => pattern.replace("{proxy+}", "class.mine").replace(/\{[^}]+\}/g, "01JZZZZZZZZZZZZZZZZZZZZZZZ");

describe("behind a function URL, the same routes with the same authentication as behind API Gateway", () => {
  let routes: Array<{ key: string; auth: boolean; method: string; path: string }>;
  beforeAll(async () => {
    // The docs page's script has a content-hashed name: the one the page links to.
    const page = await handler(event("GET", "/docs", { functionUrl: true }), context);
    const asset = /docs\/assets\/([^"']+)/.exec(page.body ?? "")?.[1];
    routes = gatewayRoutes.map(({ key, auth }) => {
      const [method, pattern] = key.split(" ") as [string, string];
      const path = pattern === "/docs/assets/{file}" && asset ? `/docs/assets/${asset}` : concrete(pattern);
      return { key, auth, method: method === "ANY" ? "GET" : method, path };
    });
  });

  it("refuses every authenticated route without a token, as API Gateway's authorizer does, and serves the open ones", async () => {
    const answers = [];
    for (const route of routes) {
      const reply = await handler(event(route.method, route.path, { functionUrl: true, ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: {} }) }), context);
      // REST answers the documented error shape; tRPC its own (checked by status only).
      const rest = route.auth && !route.path.startsWith("/trpc/");
      answers.push({ key: route.key, status: reply.statusCode, code: rest ? JSON.parse(reply.body!).error?.code : undefined });
    }
    expect(answers).toEqual(
      routes.map((route) => ({
        key: route.key,
        status: route.auth ? 401 : 200,
        code: route.auth && !route.path.startsWith("/trpc/") ? expect.stringMatching(/^auth\./) : undefined,
      })),
    );
  });

  it("dispatches every route with a valid token (no route is missing from the handler)", async () => {
    const user = await newUser();
    const missing = [];
    for (const route of routes) {
      const reply = await handler(event(route.method, route.path, { functionUrl: true, token: user.token, ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: {} }) }), context);
      const code = reply.body?.startsWith("{") ? (JSON.parse(reply.body) as { error?: { code?: string } }).error?.code : undefined;
      if (reply.statusCode === 401 || reply.statusCode >= 500 || code === "route.not_found") missing.push(`${route.key} → ${reply.statusCode} ${code ?? ""}`);
    }
    expect(missing).toEqual([]);
  });
});
