/** The Lambda entry point, invoked in-process with API Gateway HTTP API (v2) events, against the same local services. */
import { handler } from "@classroom/api/lambda/http";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { makeClass } from "./support.ts";

function event(method: string, path: string, options: { token?: string; body?: unknown; query?: string } = {}): APIGatewayProxyEventV2 {
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
      domainName: "api.example.test",
      domainPrefix: "api",
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
