/** Lambda entry point for API Gateway HTTP API (payload v2): REST paths and /trpc, one handler. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { handle } from "../app.ts";
import { logger } from "../log.ts";

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  logger.addContext(context);
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
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
    body: await response.text(),
    isBase64Encoded: false,
  };
}
