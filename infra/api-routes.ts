import { gatewayRoutes } from "@classroom/api/routes";

/**
 * The API Gateway routes, taken as they are from the API package's route list (the same list
 * its REST adapter dispatches on), so a path cannot exist on one side only. infra/api.ts
 * turns each entry into a route on the one function.
 */
export interface ApiRoute {
  /** "METHOD /path" as HTTP APIs write route keys; `{name}` and `{proxy+}` are parameters. */
  key: string;
  /** Behind the Cognito JWT authorizer; open routes are health and the API description. */
  auth: boolean;
}

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|ANY) \/[A-Za-z0-9_.\-/{}+]*$/;

export function apiRoutes(routes: ReadonlyArray<ApiRoute> = gatewayRoutes): ApiRoute[] {
  const seen = new Set<string>();
  return routes.map(({ key, auth }) => {
    if (!ROUTE_KEY.test(key)) throw new Error(`not an HTTP API route key: "${key}"`);
    if (seen.has(key)) throw new Error(`route "${key}" is listed twice`);
    seen.add(key);
    return { key, auth };
  });
}
