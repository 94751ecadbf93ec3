/** The OpenAPI builder on routes and operations made up for the purpose. */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildOpenApiDocument, type DocumentedOperation } from "../src/rest/openapi.ts";
import type { RestRoute } from "../src/routes.ts";

type Json = Record<string, any>;

const Draft = z.object({ title: z.string(), tags: z.array(z.string()).default([]) }).meta({ id: "TestDraft" });
const Shelf = z.object({ drafts: z.array(Draft), label: z.string() }).meta({ id: "TestShelf" });
const Stamp = z.object({ at: z.string() }).meta({ id: "TestStamp" });
z.object({ never: z.boolean() }).meta({ id: "TestUnused" });

const routes: RestRoute[] = [
  { method: "POST", path: "/shelves/{shelf_id}/drafts", operation: "addDraft", auth: true },
  { method: "GET", path: "/shelves/{shelf_id}", operation: "getShelf", auth: true },
  { method: "PUT", path: "/shelves/{shelf_id}", operation: "putShelf", auth: true },
  { method: "GET", path: "/health", operation: "health", auth: false },
];

const ShelfParams = z.object({ shelf_id: z.string().meta({ description: "The shelf" }) });

const operations: Record<string, DocumentedOperation> = {
  addDraft: { summary: "Add a draft", status: 201, params: ShelfParams, body: Draft, response: Draft },
  getShelf: {
    summary: "A shelf",
    params: ShelfParams,
    query: z.object({ limit: z.coerce.number().int().default(10) }),
    response: z.object({ shelf: Shelf, stamp: Stamp }),
    produces: ["text/csv"],
  },
  putShelf: { summary: "Replace a shelf", params: ShelfParams, body: Shelf, response: Shelf },
};

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

describe("the OpenAPI builder", () => {
  const doc = buildOpenApiDocument({ routes, operations }) as Json;
  const schemas = doc.components.schemas as Record<string, Json>;

  it("puts each reached named schema in components once, and only those", () => {
    expect(Object.keys(schemas).sort()).toEqual(["Error", "TestDraft", "TestDraftInput", "TestShelf", "TestShelfInput", "TestStamp"]);
    for (const ref of refsIn(doc)) {
      expect(ref).toMatch(/^#\/components\/(schemas|responses)\//);
      const [, kind, name] = ref.split("/").slice(1);
      expect(doc.components[kind!][name!], ref).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toMatch(/\$defs|"\$id"|"\$schema"/);
  });

  it("describes requests by what is sent and answers by what is received", () => {
    // A default makes a field optional to send but always present in an answer.
    expect(schemas.TestDraft!.required).toEqual(["title", "tags"]);
    expect(schemas.TestDraftInput!.required).toEqual(["title"]);
    // A schema that nests one which differs differs too, and points at the request side.
    expect(schemas.TestShelfInput!.properties.drafts.items).toEqual({ $ref: "#/components/schemas/TestDraftInput" });
    expect(schemas.TestShelf!.properties.drafts.items).toEqual({ $ref: "#/components/schemas/TestDraft" });
    const add = doc.paths["/shelves/{shelf_id}/drafts"].post;
    expect(add.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/TestDraftInput" });
    expect(add.responses["201"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/TestDraft" });
  });

  it("turns params and query into parameters, with their descriptions", () => {
    const get = doc.paths["/shelves/{shelf_id}"].get;
    expect(get.parameters).toEqual([
      { name: "shelf_id", in: "path", required: true, description: "The shelf", schema: { type: "string" } },
      { name: "limit", in: "query", required: false, schema: expect.objectContaining({ type: "integer", default: 10 }) },
    ]);
    // Unnamed schemas are written where they are used.
    expect(get.responses["200"].content["application/json"].schema.properties.stamp).toEqual({ $ref: "#/components/schemas/TestStamp" });
    expect(get.responses["200"].content["text/csv"]).toEqual({ schema: { type: "string" } });
  });

  it("references the error responses by status, and leaves open routes open", () => {
    const put = doc.paths["/shelves/{shelf_id}"].put;
    expect(put.responses["409"]).toEqual({ $ref: "#/components/responses/Conflict" });
    expect(put.responses["413"]).toEqual({ $ref: "#/components/responses/PayloadTooLarge" });
    expect(doc.paths["/shelves/{shelf_id}"].get.responses["409"]).toBeUndefined();
    expect(doc.components.responses.TooManyRequests.headers["Retry-After"]).toBeDefined();
    expect(doc.paths["/health"].get.security).toEqual([]);
    expect(doc.security).toEqual([{ cognito: [] }]);
    expect(doc.paths["/shelves/{shelf_id}"].get.tags).toEqual(["Shelves"]);
    // Nothing lists or addresses drafts on their own, so adding one is grouped with its shelf.
    expect(doc.paths["/shelves/{shelf_id}/drafts"].post.tags).toEqual(["Shelves"]);
  });

  it("refuses a route without an operation, an undescribed path parameter, and two schemas with one id", () => {
    expect(() => buildOpenApiDocument({ routes: [...routes, { method: "GET", path: "/x", operation: "nothing", auth: true }], operations })).toThrow(/no operation "nothing"/);
    expect(() =>
      buildOpenApiDocument({
        routes: [{ method: "GET", path: "/shelves/{shelf_id}/{other}", operation: "getShelf", auth: true }],
        operations,
      }),
    ).toThrow(/path parameter "other"/);
    const First = z.object({ a: z.string() }).meta({ id: "TestTwice" });
    z.object({ b: z.string() }).meta({ id: "TestTwice" });
    expect(() =>
      buildOpenApiDocument({
        routes: [{ method: "GET", path: "/twice", operation: "twice", auth: true }],
        operations: { twice: { summary: "Twice", response: z.object({ first: First }) } },
      }),
    ).toThrow(/TestTwice/);
  });
});
