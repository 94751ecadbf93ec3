import { gatewayRoutes, restRoutes, trpcRoute } from "@classroom/api/routes";
import { describe, expect, it } from "vitest";
import { apiRoutes } from "../api-routes.ts";

/** The routes the API's handler dispatches: its REST table and the tRPC proxy. */
const dispatched = [
  ...restRoutes.map((route) => ({ key: `${route.method} ${route.path}`, auth: route.auth })),
  { key: `${trpcRoute.method} ${trpcRoute.path}`, auth: trpcRoute.auth },
];
const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);

describe("API Gateway routes", () => {
  it("routes exactly the paths the API dispatches, with the same auth", () => {
    expect([...apiRoutes()].sort(byKey)).toEqual([...dispatched].sort(byKey));
    expect([...gatewayRoutes].sort(byKey)).toEqual([...dispatched].sort(byKey));
  });

  it("gives every REST route its own key, even ignoring parameter names", () => {
    // API Gateway treats GET /a/{x} and GET /a/{y} as the same route.
    const shapes = restRoutes.map((route) => `${route.method} ${route.path.replace(/\{[^}]+\}/g, "{}")}`);
    expect(new Set(shapes).size).toBe(restRoutes.length);
  });

  it("leaves only health and the API description open", () => {
    const open = apiRoutes().filter((route) => !route.auth).map((route) => route.key);
    expect(open.sort()).toEqual(["GET /docs", "GET /health", "GET /openapi.json"]);
  });

  it("refuses a route listed twice or a key API Gateway would not accept", () => {
    const first = gatewayRoutes[0]!;
    expect(() => apiRoutes([...gatewayRoutes, first])).toThrow(/listed twice/);
    expect(() => apiRoutes([{ key: "GET chat/messages", auth: true }])).toThrow(/not an HTTP API route key/);
  });
});
