/** The OpenAPI 3.1 document of the REST side, built from the route list and the operations' zod schemas. */
import * as z from "zod";
import { restRoutes } from "../routes.ts";
import { operations } from "./operations.ts";
import { ErrorBody } from "./schemas.ts";

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
};

function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } },
});

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of restRoutes) {
    if (!(route.operation in operations)) continue;
    const operation = operations[route.operation as keyof typeof operations];
    const method = route.method.toLowerCase();
    paths[route.path] ??= {};
    paths[route.path]![method] = {
      operationId: route.operation,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      security: [{ cognito: [] }],
      parameters: [...parameters(operation.params, "path"), ...parameters(operation.query, "query")],
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body, "input") } } } }
        : {}),
      responses: {
        [String(operation.status ?? 200)]: {
          description: "Success",
          content: { "application/json": { schema: jsonSchema(operation.response, "output") } },
        },
        "400": errorResponse("Bad input (code `input.invalid`, `cursor.invalid`, ...); nothing was changed"),
        "401": errorResponse("Missing, invalid or expired access token"),
        "403": errorResponse("A member of the class, but not allowed to do this"),
        "404": errorResponse("No such id, or not visible to you"),
        "409": errorResponse("Conflicts with the current state"),
        "429": errorResponse("Too many writes; see the Retry-After header"),
        "503": errorResponse("Briefly unavailable; retry"),
      },
    };
  }
  paths["/health"] = { get: { operationId: "health", summary: "Liveness", security: [], responses: { "200": { description: "OK" } } } };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Classroom API",
      version: "1.0.0",
      description:
        "Class chat, reactions, posts and comments. Every call but /health, /openapi.json and /docs needs a Cognito access token: `Authorization: Bearer <token>`. Errors are `{ error: { code, message } }`. Typed TypeScript clients use the tRPC endpoint under /trpc instead.",
    },
    components: {
      securitySchemes: { cognito: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  };
  return cached;
}

/** A small self-contained reference page (no CDN: works offline and on a locked-down network). */
export function docsPage(): string {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { summary: string; description?: string }>> };
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const rows = Object.entries(doc.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2><p>${escape(op.summary)}</p>${
            op.description ? `<p class="d">${escape(op.description)}</p>` : ""
          }</section>`,
      ),
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Classroom API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}section{border-top:1px solid #e5e7eb;padding:.5rem 0}.d{color:#4b5563}</style></head>
<body><h1>Classroom API</h1><p>The machine-readable description is at <a href="openapi.json">/openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;Cognito access token&gt;</code>. Errors are <code>{ "error": { "code", "message" } }</code>.</p>
${rows}</body></html>`;
}
