/** Lambda entry point for API Gateway HTTP API (payload v2): REST paths and /trpc, one handler. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { logger } from "../log.ts";
import { prefetchKeys } from "../verifier.ts";

// The function's initialization: the pool's keys download while the rest of the API loads (a
// dynamic import, so that it starts after the download does).
prefetchKeys();
const { handle } = await import("../app.ts");

/** Always answers with a status and a body (the structured result type makes both optional). */
type Result = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<Result> {
  logger.addContext(context);
  // API Gateway and function URLs send header names in lower case already (and cookies apart);
  // an event made by hand or another invoker may not.
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  if (event.cookies?.length) headers.cookie = event.cookies.join("; ");
  const method = event.requestContext.http.method;
  const response = await handle({
    method,
    origin: `https://${event.requestContext.domainName || "localhost"}`,
    target: `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ""}`,
    headers,
    ...(method === "GET" || method === "HEAD" || event.body === undefined
      ? {}
      : { body: event.isBase64Encoded ? new Uint8Array(Buffer.from(event.body, "base64")) : event.body }),
  });
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body, isBase64Encoded: false };
}
