import { restRoutes, trpcRoute } from "@classroom/api/routes";
import { ENDPOINT_ENV, TABLE_ENV } from "@classroom/core/table";
import { beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../api-routes.ts";
import { type Infra, loadInfra, reference } from "./fake-sst.ts";

/**
 * The API Gateway front (CLASSROOM_API_FRONT=gateway; the default front is a function URL, see
 * api-front.test.ts): the HTTP API the infra creates, read from the routes, authorizer and function it asks for,
 * against what the API package dispatches (its REST route table and the tRPC proxy route).
 */
const dispatched = [...restRoutes, trpcRoute].map((route) => ({ key: `${route.method} ${route.path}`, auth: route.auth }));

let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra({ CLASSROOM_API_FRONT: "gateway" });
});

const routes = () =>
  infra.callsOf("Api", "route").map(({ args: [key, handler, options] }) => ({ key, handler, options }));

describe("the API Gateway routes", () => {
  it("are exactly the routes the API dispatches, each once", () => {
    const keys = routes().map((route) => route.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(dispatched.map((route) => route.key).sort());
  });

  it("all invoke the API function", () => {
    const fn = infra.resource("sst.aws.Function", "ApiHandler");
    expect(fn.args.handler).toBe("packages/api/src/lambda/http.handler");
    expect(new Set(routes().map((route) => route.handler))).toEqual(new Set([reference("ApiHandler.arn")]));
  });

  it("put the Cognito JWT authorizer on exactly the routes the API authenticates", () => {
    const [authorizer, ...others] = infra.callsOf("Api", "addAuthorizer");
    expect(others).toEqual([]);
    const authorizerId = reference(`Api.addAuthorizer(${authorizer!.args[0].name}).id`);
    const guarded = routes().map((route) => ({
      key: route.key,
      auth: route.options.auth !== false && route.options.auth?.jwt?.authorizer === authorizerId,
    }));
    expect(guarded.sort((a, b) => a.key.localeCompare(b.key))).toEqual([...dispatched].sort((a, b) => a.key.localeCompare(b.key)));
  });

  it("leave only health and the API description (document and docs page) open, to GET", () => {
    const open = routes().filter((route) => route.options.auth === false).map((route) => route.key);
    expect(open).toEqual(expect.arrayContaining(["GET /health", "GET /openapi.json", "GET /docs"]));
    for (const key of open) expect(key).toMatch(/^GET \/(health|openapi\.json|docs(\/.*)?)$/);
  });

  it("accept only tokens of the app's user pool and client, as the API does", () => {
    const [authorizer] = infra.callsOf("Api", "addAuthorizer");
    const fn = infra.resource("sst.aws.Function", "ApiHandler");
    const { jwt } = authorizer!.args[0];
    expect(jwt.issuer).toMatch(new RegExp(`^https://cognito-idp\\..+\\.amazonaws\\.com/${escape(reference("UserPool.id"))}$`));
    expect(jwt.audiences).toEqual([reference("UserPool.addClient(Web).id")]);
    // The function verifies the same tokens again, against the same pool and client.
    expect(fn.args.environment).toMatchObject({ AUTH_ISSUER: jwt.issuer, AUTH_CLIENT_ID: jwt.audiences[0] });
  });

  it("give no two routes the same shape (API Gateway treats GET /a/{x} and GET /a/{y} as one)", () => {
    const shapes = routes().map((route) => route.key.replace(/\{[^}]+\}/g, "{}"));
    expect(new Set(shapes).size).toBe(shapes.length);
  });
});

describe("the API Gateway front", () => {
  it("is the API's address, and the function has no URL of its own", () => {
    expect(infra.outputs.api).toBe(reference("Api.url"));
    expect(infra.resource("sst.aws.StaticSite", "Web").args.environment.VITE_API_URL).toBe(reference("Api.url"));
    expect(infra.resource("sst.aws.Function", "ApiHandler").args.url).toBeUndefined();
  });

  it("feeds the API alarms with API Gateway's metrics", () => {
    const apiAlarms = infra.ofType("aws.cloudwatch.MetricAlarm").filter((alarm) => alarm.args.namespace === "AWS/ApiGateway");
    expect(apiAlarms.map((alarm) => alarm.args.metricName).sort()).toEqual(["5xx", "Latency"]);
    for (const alarm of apiAlarms) expect(alarm.args.dimensions).toEqual({ ApiId: reference("Api.nodes.api.id") });
  });
});

describe("the API function", () => {
  it("is given the table the infra creates, under the name the API reads", () => {
    const fn = infra.resource("sst.aws.Function", "ApiHandler");
    expect(fn.args.environment[TABLE_ENV]).toBe(reference("Table.name"));
    expect(fn.args.link).toContain(reference("Table"));
    // On AWS the SDK's own endpoint is used: DynamoDB Local's variable must not leak in.
    expect(fn.args.environment).not.toHaveProperty(ENDPOINT_ENV);
  });
});

describe("apiRoutes()", () => {
  it("refuses a route listed twice or a key API Gateway would not accept", () => {
    const first = dispatched[0]!;
    expect(() => apiRoutes([...dispatched, first])).toThrow(/listed twice/);
    expect(() => apiRoutes([{ key: "GET chat/messages", auth: true }])).toThrow(/not an HTTP API route key/);
  });
});

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
