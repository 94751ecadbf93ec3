import { cors } from "@classroom/api/routes";
import { beforeAll, describe, expect, it } from "vitest";
import { apiConcurrencyFrom, apiFrontFrom } from "../api-front.ts";
import { type Infra, loadInfra, reference } from "./fake-sst.ts";

/**
 * The default front of the API: a Lambda function URL, with the API's own CORS settings and a
 * concurrency limit as its throttle, and no API Gateway at all. (The API Gateway front, with its
 * routes and JWT authorizer, is covered by routes.test.ts, which loads the infra with
 * CLASSROOM_API_FRONT=gateway.) Both send every request to the same function, whose handler
 * dispatches and authenticates the same route list: packages/local/test/lambda.test.ts drives
 * every route through it with function-URL events.
 */
let infra: Infra;
beforeAll(async () => {
  infra = await loadInfra();
});

describe("the API behind a function URL (the default)", () => {
  it("creates no API Gateway: the function URL is the API's address, for the web app and the stage's outputs", () => {
    expect(infra.ofType("sst.aws.ApiGatewayV2")).toEqual([]);
    expect(infra.outputs.api).toBe(reference("ApiHandler.url"));
    expect(infra.resource("sst.aws.StaticSite", "Web").args.environment.VITE_API_URL).toBe(reference("ApiHandler.url"));
  });

  it("is open to the internet and leaves authentication to the handler", () => {
    const fn = infra.resource("sst.aws.Function", "ApiHandler");
    expect(fn.args.handler).toBe("packages/api/src/lambda/http.handler");
    expect(fn.args.url.authorization).toBe("none");
    // The handler verifies tokens against the app's pool and client itself.
    expect(fn.args.environment).toMatchObject({ AUTH_ISSUER: expect.stringContaining("UserPool.id"), AUTH_CLIENT_ID: reference("UserPool.addClient(Web).id") });
  });

  it("answers preflights with the API's own CORS settings, within what a function URL accepts", () => {
    const urlCors = infra.resource("sst.aws.Function", "ApiHandler").args.url.cors;
    expect(urlCors.allowOrigins).toEqual(cors.allowOrigins);
    expect(urlCors.allowHeaders).toEqual(cors.allowHeaders);
    expect(urlCors.maxAge).toBe(`${cors.maxAgeSeconds} seconds`);
    // Every method the API serves, except the preflight's own OPTIONS.
    expect([...urlCors.allowMethods, "OPTIONS"].sort()).toEqual([...cors.allowMethods].sort());
    // Lambda's limits on the CORS settings of a function URL.
    expect(urlCors.allowMethods.length).toBeLessThanOrEqual(6);
    for (const method of urlCors.allowMethods) expect(method.length).toBeLessThanOrEqual(6);
    expect(cors.maxAgeSeconds).toBeLessThanOrEqual(86_400);
  });

  it("is throttled by a reserved concurrency", () => {
    expect(infra.resource("sst.aws.Function", "ApiHandler").args.concurrency).toEqual({ reserved: 100 });
  });

  it("alarms and the dashboard read the function URL's metrics", () => {
    const dashboard = JSON.parse(infra.resource("aws.cloudwatch.Dashboard", "Dashboard").args.dashboardBody) as { widgets: Array<{ properties: { title: string; metrics: unknown[][] } }> };
    const requests = dashboard.widgets.find((w) => w.properties.title === "API requests")!;
    expect(requests.properties.metrics).toEqual([["AWS/Lambda", "UrlRequestCount", "FunctionName", reference("ApiHandler.name")]]);
    expect(JSON.stringify(dashboard)).not.toContain("AWS/ApiGateway");
  });
});

describe("choosing the front", () => {
  it("takes url or gateway, url when unset, and refuses anything else", () => {
    expect(apiFrontFrom(undefined)).toBe("url");
    expect(apiFrontFrom("")).toBe("url");
    expect(apiFrontFrom("gateway")).toBe("gateway");
    expect(() => apiFrontFrom("apigateway")).toThrow(/CLASSROOM_API_FRONT must be one of url, gateway/);
  });

  it("takes a positive whole concurrency, 100 when unset", () => {
    expect(apiConcurrencyFrom(undefined)).toBe(100);
    expect(apiConcurrencyFrom("250")).toBe(250);
    for (const bad of ["0", "-5", "1.5", "many"]) expect(() => apiConcurrencyFrom(bad)).toThrow(/CLASSROOM_API_CONCURRENCY/);
  });
});
