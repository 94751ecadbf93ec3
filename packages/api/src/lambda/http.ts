/** Lambda entry point for API Gateway HTTP API (payload v2): REST paths and /trpc, one handler. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { logger } from "../log.ts";
import { prefetchKeys } from "../verifier.ts";

// The function's initialization: the pool's keys download while the rest of the API loads (a
// dynamic import, so that it starts after the download does).
prefetchKeys();
const { handle, responseText } = await import("../app.ts");

/** Always answers with a status and a body (the structured result type makes both optional). */
type Result = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<Result> {
  logger.addContext(context);
  // Name/value pairs, handed to the Request as they are (a Headers built first would be copied again).
  const headers: Array<[string, string]> = [];
  const cookies = event.cookies?.length ? event.cookies.join("; ") : undefined;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !(cookies !== undefined && name.toLowerCase() === "cookie")) headers.push([name, value]);
  }
  if (cookies !== undefined) headers.push(["cookie", cookies]);
  const method = event.requestContext.http.method;
  const host = event.requestContext.domainName || "localhost";
  const url = `https://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ""}`;
  const body =
    method === "GET" || method === "HEAD" || event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? new Uint8Array(Buffer.from(event.body, "base64"))
        : event.body;
  const response = await handle(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    body: await responseText(response),
    isBase64Encoded: false,
  };
}
