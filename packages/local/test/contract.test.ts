/** The REST side as served: the description, unknown paths and methods, oversized bodies. */
import { openApiDocument } from "@classroom/api/rest/openapi";
import { describe, expect, it } from "vitest";
import { call } from "./support.ts";

describe("served route contract", () => {
  it("serves the OpenAPI document the route list describes", async () => {
    const reply = await call("GET", "/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
  it("answers unknown paths with 404 and wrong methods with 405, in the error shape", async () => {
    const missing = await call("GET", "/nothing/here");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("route.not_found");
    const wrong = await call("PATCH", "/chat/messages");
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe("request.method_not_supported");
  });

  it("refuses an oversized body cheaply with 413", async () => {
    const reply = await call("POST", "/chat/messages", { rawBody: JSON.stringify({ content: "x".repeat(200_000) }) });
    expect(reply.status).toBe(413);
  });
});
