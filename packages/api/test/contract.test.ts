/** The REST route list, its handlers and its OpenAPI description cannot drift apart. */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../src/rest/openapi.ts";
import { operations } from "../src/rest/operations.ts";
import { gatewayRoutes, openRoutes, restRoutes } from "../src/routes.ts";

const OPEN: string[] = openRoutes.map((r) => r.operation);

describe("route list", () => {
  it("has an operation for every route and a route for every operation", () => {
    const routed = restRoutes.map((r) => r.operation).filter((o) => !OPEN.includes(o));
    expect(new Set(routed)).toEqual(new Set(Object.keys(operations)));
    expect(routed.length).toBe(new Set(routed).size);
  });

  it("gives each route one gateway key and leaves only health and the description open", () => {
    expect(new Set(gatewayRoutes.map((r) => r.key)).size).toBe(gatewayRoutes.length);
    expect(gatewayRoutes.map((r) => r.key)).toContain("ANY /trpc/{proxy+}");
    expect(restRoutes.filter((r) => !r.auth).map((r) => r.path).sort()).toEqual(["/docs", "/docs/assets/{file}", "/health", "/openapi.json"]);
  });

  it("documents every authenticated route with its parameters and error responses", () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<string, { operationId: string; parameters: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, unknown> }>
      >;
    };
    for (const route of restRoutes.filter((r) => r.auth)) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, `${route.method} ${route.path}`).toBe(route.operation);
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
        expect(op!.parameters.map((p) => `{${p.name}}`)).toContain(name);
      }
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(["401", "404", "429"]));
      if (op!.parameters || op!.requestBody) expect(Object.keys(op!.responses)).toContain("400");
    }
    const list = doc.paths["/chat/messages/{class_id}"]!.get!;
    expect(list.parameters.map((p) => p.name)).toEqual(["class_id", "limit", "lastEvaluatedKey", "lastMessageTimestamp"]);
  });
});
