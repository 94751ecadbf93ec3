/**
 * The served OpenAPI document passes other people's tools: Redocly's recommended rules, a
 * validator that resolves every `$ref`, and openapi-typescript, whose generated types are
 * type-checked with a small openapi-fetch program that then drives the four documented paths
 * against the real server with a real token. Plus the reference page: served whole by the API.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeClass, stack } from "./support.ts";

const run = promisify(execFile);
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const REDOCLY = here("../node_modules/@redocly/cli/bin/cli.js");
// The workspace's TypeScript 7 compiler (in this package, `typescript` is TypeScript 6's API for openapi-typescript).
const TSC = here("../../../node_modules/typescript/bin/tsc");

type Json = Record<string, any>;

let dir: string;
let document: Json;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "classroom-openapi-"));
  const reply = await call("GET", "/openapi.json");
  expect(reply.status).toBe(200);
  document = reply.body;
  await writeFile(join(dir, "openapi.json"), JSON.stringify(document, null, 2));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

function at(root: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: any = root;
  for (const segment of ref.slice(2).split("/")) node = node?.[decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~")];
  return node;
}

describe("the OpenAPI document", () => {
  it("has no error under Redocly's recommended rules", async () => {
    const lint = await run(
      process.execPath,
      [REDOCLY, "lint", "openapi.json", "--format=json", "--extends=recommended", "--max-problems=1000"],
      { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" } },
    ).catch((failed: { stdout?: string; stderr?: string }) => ({ stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" }));
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
    const errors = report.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it("resolves every $ref, and passes an OpenAPI 3.1 validator", async () => {
    const unresolved = [...new Set(refsIn(document))].filter((ref) => at(document, ref) === undefined);
    expect(unresolved).toEqual([]);
    await SwaggerParser.validate(structuredClone(document) as never);
  });

  it("names schemas once, writes errors once, and gives every operation a unique id", () => {
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Error", "Message", "Post", "Comment"]));
    expect(JSON.stringify(document)).not.toContain("$defs");
    const operations = Object.values(document.paths as Record<string, Record<string, Json>>).flatMap((item) => Object.values(item));
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) >= 400) expect(response.$ref, `${op.operationId} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(Object.values(document.components.securitySchemes)).toEqual([expect.objectContaining({ type: "http", scheme: "bearer", bearerFormat: "JWT" })]);
  });
});

/**
 * Uses the generated types the way a client author would. `@ts-expect-error` lines prove the
 * types are precise (a wrong reaction, a missing path parameter): if the generated types were
 * loose, those lines would not be errors and tsc would fail on them.
 */
const PROGRAM = `import createClient from "openapi-fetch";
import type { paths } from "./api.js";

declare const process: { env: Record<string, string | undefined> };

const input = JSON.parse(process.env.DRIVE ?? "{}") as { baseUrl: string; token: string; class_id: string; comment_id: string };
const client = createClient<paths>({ baseUrl: input.baseUrl, headers: { authorization: "Bearer " + input.token } });

const sent = await client.POST("/chat/messages", { body: { class_id: input.class_id, content: "Hello from a generated client" } });
if (!sent.data) throw new Error("send: " + sent.response.status + " " + JSON.stringify(sent.error));
const messageId: string = sent.data.message_id;
const createdAt: string = sent.data.created_at;

const listed = await client.GET("/chat/messages/{class_id}", { params: { path: { class_id: input.class_id }, query: { limit: 10 } } });
if (!listed.data) throw new Error("list: " + listed.response.status);
const contents: string[] = listed.data.messages.map((message) => message.content);
const nextPage: string | null = listed.data.lastEvaluatedKey;

const reacted = await client.PUT("/chat/messages/{id}/reactions", { params: { path: { id: messageId } }, body: { reaction_type: "heart" } });
if (!reacted.data) throw new Error("react: " + reacted.response.status);
const counts: { like_count: number; heart_count: number } = reacted.data;

const deleted = await client.DELETE("/comments/{id}", { params: { path: { id: input.comment_id } } });
if (!deleted.data) throw new Error("delete: " + deleted.response.status);
const confirmation: "Comment deleted successfully" = deleted.data.message;

const missing = await client.DELETE("/comments/{id}", { params: { path: { id: "no-such-comment" } } });
const missingCode: string | undefined = missing.error?.error.code;

if (process.env.NEVER) {
  // @ts-expect-error the reactions are "like" and "heart"
  await client.PUT("/chat/messages/{id}/reactions", { params: { path: { id: messageId } }, body: { reaction_type: "thumbs_up" } });
  // @ts-expect-error the class id is a required path parameter
  await client.GET("/chat/messages/{class_id}", { params: { path: {} } });
}

console.log(JSON.stringify({ messageId, createdAt, contents, nextPage, counts, confirmation, missingStatus: missing.response.status, missingCode }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2023",
    lib: ["ES2023", "DOM"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    types: [],
    outDir: "out",
    rootDir: ".",
  },
  files: ["api.ts", "program.ts"],
};

describe("a client generated from the document", () => {
  it("type-checks, and drives the four documented paths against the server", async () => {
    // Generate from the served document, into a project of its own that finds openapi-fetch here.
    const types = astToString(await openapiTS(document as never));
    await writeFile(join(dir, "api.ts"), types);
    await writeFile(join(dir, "program.ts"), PROGRAM);
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    await symlink(here("../node_modules"), join(dir, "node_modules"), "dir");
    expect(types).toContain('"/chat/messages/{class_id}"');

    const compiled = await run(process.execPath, [TSC, "-p", dir], { cwd: dir }).catch((failed: { stdout?: string }) => {
      throw new Error(`the generated client does not type-check:\n${failed.stdout}`);
    });
    expect(compiled.stdout).toBe("");

    // A class, a post and a comment to act on, made over REST.
    const { class_id, teacher } = await makeClass(0);
    const post = await call("POST", `/classes/${class_id}/posts`, { token: teacher.token, body: { content: "Read chapter 3" } });
    expect(post.status).toBe(201);
    const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: teacher.token, body: { content: "Done!" } });
    expect(comment.status).toBe(201);

    const drive = { baseUrl: stack.apiUrl, token: teacher.token, class_id, comment_id: comment.body.comment_id };
    const { stdout } = await run(process.execPath, [join(dir, "out", "program.js")], { cwd: dir, env: { ...process.env, DRIVE: JSON.stringify(drive) } });
    const result = JSON.parse(stdout) as Json;
    expect(result.contents).toContain("Hello from a generated client");
    expect(result.nextPage).toBeNull();
    expect(result.counts).toEqual({ like_count: 0, heart_count: 1 });
    expect(result.confirmation).toBe("Comment deleted successfully");
    expect(result.missingStatus).toBe(404);
    expect(result.missingCode).toMatch(/not_found/);

    // What the generated client did is what the server now says.
    const list = await call("GET", `/chat/messages/${class_id}`, { token: teacher.token });
    expect(list.body.messages).toEqual([expect.objectContaining({ message_id: result.messageId, reactions: { like_count: 0, heart_count: 1, mine: ["heart"] } })]);
    const comments = await call("GET", `/posts/${post.body.post_id}/comments`, { token: teacher.token });
    expect(comments.body.comments).toEqual([]);
  });
});

describe("the reference page", () => {
  it("loads its renderer from the API itself, cached for good, and nothing from elsewhere", async () => {
    const page = await call("GET", "/docs");
    expect(page.status).toBe(200);
    const sources = [...String(page.body).matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual([expect.stringMatching(/^docs\/assets\/api-reference\.[0-9a-f]{12}\.js$/)]);
    expect(String(page.body)).not.toMatch(/https?:\/\//);
    const script = await fetch(`${stack.apiUrl}/${sources[0]}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await call("GET", "/docs/assets/api-reference.000000000000.js")).status).toBe(404);
  });

  it("answers HEAD wherever GET works, with the GET's headers and no body", async () => {
    for (const path of ["/docs", "/openapi.json", "/health"]) {
      const [head, get] = await Promise.all([fetch(`${stack.apiUrl}${path}`, { method: "HEAD" }), fetch(`${stack.apiUrl}${path}`)]);
      const body = await get.arrayBuffer();
      expect(head.status, path).toBe(200);
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(Number(head.headers.get("content-length"))).toBe(body.byteLength);
      expect(await head.text()).toBe("");
    }
    expect((await fetch(`${stack.apiUrl}/classes`, { method: "HEAD" })).status).toBe(401);
  });
});
