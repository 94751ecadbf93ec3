/**
 * The OpenAPI 3.1 document of the REST side, built from the route list and each operation's zod
 * schemas; nothing in it is written by hand twice.
 *
 * Schemas: a zod schema carrying `.meta({ id })` is a named schema. Every named schema an
 * operation reaches becomes one entry of `components/schemas`, and every reference points there:
 * zod's registry conversion (`z.toJSONSchema(registry, { uri })`) writes `$ref`s straight to
 * `#/components/schemas/<id>` instead of the per-schema `$defs` its single-schema form inlines.
 * Unnamed schemas are written inline where they are used. Parameters and request bodies describe
 * what a client sends (zod's "input" side), responses what it receives ("output"); a named schema
 * that reads differently on the two sides (a default, a transform, a coercion) gets a second
 * entry, `<id>Input`, for the request side.
 *
 * Errors are written once, in `components/responses`, and referenced by status.
 */
import * as z from "zod";
import { ErrorBody } from "../errors.ts";
import { type RestRoute, restRoutes } from "../routes.ts";
import { operations } from "./operations.ts";

/** What the document needs of an operation (a REST adapter operation has this and more). */
export interface DocumentedOperation {
  summary: string;
  /** CommonMark. */
  description?: string | undefined;
  /** Success status; 200 unless said. */
  status?: number | undefined;
  params?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  body?: z.ZodType | undefined;
  response: z.ZodType;
  /** The success response's media type; JSON unless said. */
  mediaType?: string | undefined;
  /** Media types the success response may also come in (a CSV export), when the request asks. */
  produces?: readonly string[] | undefined;
  /** Groups the operation on the reference page; derived from the path unless said. */
  tag?: string | undefined;
  /** Failures it may answer with besides those every operation of its kind may (a 422, a 409 on a read). */
  errors?: readonly number[] | undefined;
}

type Json = { [key: string]: unknown };
type Io = "input" | "output";

const SCHEMAS = "#/components/schemas/";
const RESPONSES = "#/components/responses/";
const SECURITY_SCHEME = "cognito";

/**
 * The routes that are not domain operations (they need no token): liveness, this document and
 * its reference page. They are documented like any other route, so the document lists every
 * route the API Gateway has.
 */
export const openOperations: Record<string, DocumentedOperation> = {
  health: {
    summary: "Liveness",
    description: "Answers as long as the API process runs; it does not touch the database.",
    response: z.object({ ok: z.literal(true) }),
    tag: "Service",
  },
  openapi: {
    summary: "This OpenAPI document",
    description: "The machine-readable description of the REST side (OpenAPI 3.1), for generators and linters.",
    response: z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document" }),
    tag: "Service",
  },
  docs: {
    summary: "The API reference page",
    description: "This document rendered for people, with a console to try the calls with your own access token.",
    response: z.string().meta({ description: "An HTML page" }),
    mediaType: "text/html",
    tag: "Service",
  },
  docsAsset: {
    summary: "A file of the API reference page",
    description: "The reference page's script, served by the API itself so the page needs no other site. Its name changes with its content, so it may be cached for good.",
    params: z.object({ file: z.string().meta({ description: "The file's name, as the page links it", example: "api-reference.3f2a9c1e0b7d.js" }) }),
    response: z.string().meta({ description: "JavaScript" }),
    mediaType: "text/javascript",
    tag: "Service",
  },
};

const ERROR_RESPONSES = {
  400: { name: "BadRequest", description: "The input is invalid (code `input.invalid`, `cursor.invalid`, ...); nothing was changed." },
  401: { name: "Unauthorized", description: "The access token is missing, invalid or expired." },
  403: { name: "Forbidden", description: "You are a member of the class, but not allowed to do this." },
  404: { name: "NotFound", description: "No such id, or not one you can see (ids in classes you do not belong to are not revealed)." },
  409: { name: "Conflict", description: "Conflicts with the current state (for example the person is already a member)." },
  422: { name: "UnprocessableContent", description: "Well-formed, but what it refers to cannot be accepted (an uploaded file unlike its declaration); nothing was kept." },
  413: { name: "PayloadTooLarge", description: "The request body is larger than the API accepts; nothing was read." },
  429: { name: "TooManyRequests", description: "Too many writes in a short time. Wait the number of seconds in `Retry-After`, then retry." },
  500: { name: "InternalError", description: "Something went wrong on the server; the detail is in its log, not in the answer." },
  503: { name: "Unavailable", description: "The database is briefly unreachable or overloaded; retry with a back-off." },
} as const satisfies Record<number, { name: string; description: string }>;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

/**
 * The failures an operation can answer with, from what it takes and whether it writes. Any
 * request but a GET may carry a body, and an oversized one is refused before anything else.
 */
function errorStatuses(route: RestRoute, operation: DocumentedOperation): ErrorStatus[] {
  if (!route.auth) return operation.params ? [404] : [];
  const takesInput = Boolean(operation.params || operation.query || operation.body);
  return [
    ...(takesInput ? ([400] as const) : []),
    401,
    403,
    404,
    ...(route.method !== "GET" ? ([409, 413] as const) : []),
    ...(operation.errors ?? []).filter((status): status is ErrorStatus => status in ERROR_RESPONSES),
    429,
    500,
    503,
  ];
}

/** What each group on the reference page is about (a group without one is still listed). */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Messages: "A class's chat: messages listed oldest first and polled for what is new (none is ever skipped or shown twice), reactions, edits and removals.",
  Classes: "Classes you teach or attend, and joining one by its code. Roles are per class: you are a teacher or a student of each.",
  Members: "Who belongs to a class, and with which role. Teachers add, remove and mute people.",
  Invitations: "People a teacher added by email before they ever signed in; they join at their first sign-in.",
  Posts: "A class's stream of posts; teachers pin and lock them.",
  Comments: "Comments on posts. A removed comment is kept hidden, and the post's count stays exact.",
  Assignments: "Work a teacher sets, with a due date and points; students turn in and reclaim their work.",
  Submissions: "One per assignment and student: turned in, graded and returned.",
  Gradebook: "Every student's grades in a class, with their standing.",
  Files: "Uploads straight to S3 in two steps (a presigned POST, then complete) and presigned download links.",
  Notifications: "What happened in your classes that concerns you, newest first, with unread counts and your preferences.",
  Audit: "Every change in a class, taken from the table's stream (teachers only).",
  Stats: "A class's activity per day, taken from the table's stream (teachers only).",
  Service: "Open routes: liveness, this description and its reference page. They need no token.",
};

const STATUS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No content" };

// ---------------------------------------------------------------------------------------------
// Schemas

const globalId = (schema: z.ZodType): string | undefined => {
  const id = z.globalRegistry.get(schema)?.id;
  return id !== undefined && z.globalRegistry._idmap.get(id) === schema ? id : undefined;
};

function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string" && item.startsWith(SCHEMAS)) found.add(item.slice(SCHEMAS.length));
      else refsIn(item, found);
    }
  }
  return found;
}

function renameRefs<T>(value: T, rename: (id: string) => string): T {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, rename)) as T;
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "$ref" && typeof item === "string" && item.startsWith(SCHEMAS) ? SCHEMAS + rename(item.slice(SCHEMAS.length)) : renameRefs(item, rename),
    ]),
  ) as T;
}

/**
 * Converts every named schema plus the given unnamed roots (each with a placeholder id) in one go,
 * so that shared schemas are referenced, not repeated.
 */
function convert(io: Io, roots: ReadonlyMap<z.ZodType, string>): Map<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of z.globalRegistry._idmap) registry.add(schema, { id });
  for (const [schema, id] of roots) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, target: "draft-2020-12", unrepresentable: "any", uri: (id) => SCHEMAS + id });
  if ("__shared" in schemas) {
    // Zod files schemas it met but could not name here: two schemas carrying one id.
    const names = Object.keys((schemas.__shared as { $defs?: Json }).$defs ?? {});
    throw new Error(`OpenAPI: schemas without a unique id were reached: ${names.join(", ")}`);
  }
  return new Map(
    Object.entries(schemas).map(([id, schema]) => {
      const { $id: _id, $schema: _dialect, ...body } = schema as Json;
      return [id, withoutSafeIntegerBounds(body)];
    }),
  );
}

/**
 * Zod bounds every `.int()` by JavaScript's safe integers. As documentation that is noise (and
 * renderers show -9007199254740991 as the example count), so those two bounds are left out.
 */
function withoutSafeIntegerBounds<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds) as T;
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, item]) => !((key === "minimum" && item === Number.MIN_SAFE_INTEGER) || (key === "maximum" && item === Number.MAX_SAFE_INTEGER)))
      .map(([key, item]) => [key, withoutSafeIntegerBounds(item)]),
  ) as T;
}

interface SchemaSet {
  /** The JSON schema (or a `$ref`) to write where this zod schema is used on this side. */
  use(schema: z.ZodType, io: Io): Json;
  /** The body of a named or used schema, `$ref`s followed. */
  resolve(json: Json): Json;
  /** The component entries that `roots` reach, transitively. */
  components(roots: unknown): Record<string, Json>;
}

function schemaSet(used: ReadonlyArray<{ schema: z.ZodType; io: Io; name: string }>): SchemaSet {
  const placeholders: Record<Io, Map<z.ZodType, string>> = { input: new Map(), output: new Map() };
  const taken = new Set(z.globalRegistry._idmap.keys());
  for (const { schema, io, name } of used) {
    if (globalId(schema) || placeholders[io].has(schema)) continue;
    let id = name;
    for (let n = 2; taken.has(id); n++) id = `${name}${n}`;
    taken.add(id);
    placeholders[io].set(schema, id);
  }
  const converted = { input: convert("input", placeholders.input), output: convert("output", placeholders.output) };
  const named = [...z.globalRegistry._idmap.keys()];

  // A named schema needs its own request-side entry when it reads differently as input, or
  // when something it references does.
  const stable = (json: Json | undefined) => JSON.stringify(json);
  const differs = new Set(named.filter((id) => stable(converted.input.get(id)) !== stable(converted.output.get(id))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of named) {
      if (differs.has(id) || ![...refsIn(converted.input.get(id))].some((ref) => differs.has(ref))) continue;
      differs.add(id);
      grew = true;
    }
  }
  const inputName = (id: string) => (differs.has(id) ? `${id}Input` : id);
  for (const id of differs) {
    if (taken.has(inputName(id))) throw new Error(`OpenAPI: "${inputName(id)}" names a schema and the request side of "${id}"`);
  }

  const entries = new Map<string, Json>();
  for (const [id, json] of converted.output) entries.set(id, json);
  for (const [id, json] of converted.input) {
    const name = inputName(id);
    if (!entries.has(name) || differs.has(id)) entries.set(name, renameRefs(json, inputName));
  }
  // Placeholder roots are written inline where they are used; one that another schema nests is
  // referenced like a named one, under its placeholder name.
  return {
    use(schema, io) {
      const id = globalId(schema);
      if (id) return { $ref: SCHEMAS + (io === "input" ? inputName(id) : id) };
      const placeholder = placeholders[io].get(schema);
      const json = placeholder && converted[io].get(placeholder);
      if (!json) throw new Error("OpenAPI: a schema was used that was not converted");
      return io === "input" ? renameRefs(json, inputName) : json;
    },
    resolve(json) {
      let current = json;
      for (let depth = 0; typeof current.$ref === "string" && depth < 16; depth++) {
        const target = entries.get(current.$ref.slice(SCHEMAS.length));
        if (!target) throw new Error(`OpenAPI: unresolved ${current.$ref}`);
        current = target;
      }
      return current;
    },
    components(roots) {
      const reached = new Set<string>();
      const pending = [...refsIn(roots)];
      while (pending.length) {
        const id = pending.pop()!;
        if (reached.has(id)) continue;
        reached.add(id);
        const json = entries.get(id);
        if (!json) throw new Error(`OpenAPI: unresolved ${SCHEMAS}${id}`);
        pending.push(...refsIn(json));
      }
      return Object.fromEntries([...reached].sort().map((id) => [id, entries.get(id)!]));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The document

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const isParameter = (segment: string) => segment.startsWith("{");
const title = (segment: string) => segment.split("-").map(pascal).join(" ");

/**
 * Groups operations by the resource they act on. A resource is a fixed path segment that some
 * route follows with an id (`/posts/{post_id}`), or that a GET lists at the top or under an item
 * (`/classes`, `/classes/{class_id}/audit`); an operation belongs to the last resource in its path,
 * so `PUT /posts/{post_id}/lock` is with the posts, `GET /classes/{class_id}/members` with the
 * members and `GET /notifications/summary` with the notifications.
 */
function tagger(routes: ReadonlyArray<RestRoute>) {
  const resources = new Set<string>();
  for (const route of routes) {
    const segments = route.path.split("/").filter(Boolean);
    segments.forEach((segment, i) => {
      if (isParameter(segment)) return;
      const next = segments[i + 1];
      const listed = !next && route.method === "GET" && (i === 0 || isParameter(segments[i - 1]!));
      if ((next && isParameter(next)) || listed) resources.add(segment);
    });
  }
  return (route: RestRoute, operation: DocumentedOperation): string => {
    if (operation.tag) return operation.tag;
    const fixed = route.path.split("/").filter((segment) => segment && !isParameter(segment));
    return title(fixed.findLast((segment) => resources.has(segment)) ?? fixed.at(-1) ?? "API");
  };
}

function parameters(schemas: SchemaSet, schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = schemas.resolve(schemas.use(schema, "input")) as { properties?: Record<string, Json>; required?: string[] };
  if (!json.properties) throw new Error(`OpenAPI: ${where} parameters must be an object schema`);
  return Object.entries(json.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

export interface DocumentSource {
  routes: ReadonlyArray<RestRoute>;
  /** By route `operation`; the routes this leaves out must be in `openOperations`. */
  operations: Readonly<Record<string, DocumentedOperation>>;
}

export function buildOpenApiDocument({ routes, operations: byName }: DocumentSource): Json {
  const described = routes.map((route) => {
    const operation = byName[route.operation] ?? openOperations[route.operation];
    if (!operation) throw new Error(`OpenAPI: route ${route.method} ${route.path} has no operation "${route.operation}"`);
    return { route, operation };
  });
  const ids = described.map(({ route }) => route.operation);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new Error(`OpenAPI: operation "${repeated}" is routed twice; operationIds must be unique`);

  const schemas = schemaSet([
    { schema: ErrorBody, io: "output", name: "Error" },
    ...described.flatMap(({ route, operation }) => {
      const name = pascal(route.operation);
      return [
        ...(operation.params ? [{ schema: operation.params, io: "input" as const, name: `${name}Params` }] : []),
        ...(operation.query ? [{ schema: operation.query, io: "input" as const, name: `${name}Query` }] : []),
        ...(operation.body ? [{ schema: operation.body, io: "input" as const, name: `${name}Body` }] : []),
        { schema: operation.response, io: "output" as const, name: `${name}Response` },
      ];
    }),
  ]);

  const errorSchema = schemas.use(ErrorBody, "output");
  const responses: Record<string, Json> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    responses[name] = {
      description,
      ...(Number(status) === 429
        ? { headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } } } }
        : {}),
      content: { "application/json": { schema: errorSchema } },
    };
  }

  const paths: Record<string, Record<string, Json>> = {};
  const tagOf = tagger(routes);
  const tags: string[] = [];
  for (const { route, operation } of described) {
    const tag = tagOf(route, operation);
    if (!tags.includes(tag)) tags.push(tag);
    const status = operation.status ?? 200;
    const errors = errorStatuses(route, operation);
    const params = [...parameters(schemas, operation.params, "path"), ...parameters(schemas, operation.query, "query")];
    const declared = new Set(params.filter((p) => p.in === "path").map((p) => p.name));
    for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
      if (!declared.has(name!)) throw new Error(`OpenAPI: ${route.method} ${route.path} does not describe its path parameter "${name}"`);
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operation,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [tag],
      // Open routes opt out of the document-wide bearer requirement.
      ...(route.auth ? {} : { security: [] }),
      ...(params.length ? { parameters: params } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: schemas.use(operation.body, "input") } } } }
        : {}),
      responses: {
        [String(status)]: {
          description: STATUS_TEXT[status] ?? "Success",
          content: {
            [operation.mediaType ?? "application/json"]: { schema: schemas.use(operation.response, "output") },
            ...Object.fromEntries((operation.produces ?? []).map((type) => [type, { schema: { type: "string" } }])),
          },
        },
        ...Object.fromEntries(errors.map((code) => [String(code), { $ref: RESPONSES + ERROR_RESPONSES[code].name }])),
      },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Classroom API",
      version: "1.0.0",
      description: [
        "Class chat, reactions, posts, comments and memberships.",
        "",
        "Every call except the ones tagged *Service* needs a Cognito **access token**: `Authorization: Bearer <token>`.",
        "Errors are JSON, `{ \"error\": { \"code\": \"comment.not_found\", \"message\": \"...\" } }`, with the status that fits;",
        "`code` is stable and dotted, `message` is meant for a person.",
        "",
        "TypeScript services can use the typed tRPC endpoint under `/trpc` instead (`@classroom/client`).",
      ].join("\n"),
    },
    // Relative: the API is served from the root of its origin everywhere it runs (the local
    // server, `sst dev`, and the API Gateway HTTP API's `$default` stage, which adds no path
    // prefix), so "/" resolves against wherever this document was fetched from. A fixed origin
    // would be wrong on every stage but one, and an origin taken from the request would make the
    // document vary per request (and trust a Host header).
    servers: [{ url: "/", description: "The origin this document was served from" }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: tags.map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "An access token from the Cognito user pool (the web app's sign-in returns one).",
        },
      },
      responses,
      schemas: schemas.components({ paths, responses }),
    },
  };
}

let cached: Json | undefined;

/** The document the API serves, built once per process. */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument({ routes: restRoutes, operations });
  return cached;
}
