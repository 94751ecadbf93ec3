import { createTableInput } from "@classroom/core/table";
import { tableDefinition } from "@classroom/core/table-definition";
import { describe, expect, it } from "vitest";
import { dynamoArgs } from "../table-args.ts";

/**
 * The table SST creates on AWS (infra/table-args.ts) must be the one the local stack creates
 * (core's createTableInput): the same CreateTable request, written in SST's vocabulary.
 */
const args = dynamoArgs(tableDefinition);
const local = createTableInput("parity");

const attributeType = { string: "S", number: "N", binary: "B" } as const;
const keySchema = (hashKey: string, rangeKey?: string) => [
  { AttributeName: hashKey, KeyType: "HASH" },
  ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: "RANGE" }] : []),
];
const projection = (p: "all" | "keys-only" | readonly string[]) =>
  p === "all" ? { ProjectionType: "ALL" } : p === "keys-only" ? { ProjectionType: "KEYS_ONLY" } : { ProjectionType: "INCLUDE", NonKeyAttributes: [...p] };
const byName = <T>(key: keyof T) => (a: T, b: T) => String(a[key]).localeCompare(String(b[key]));

describe("the infra's table", () => {
  it("has the local table's key schema", () => {
    expect(keySchema(args.primaryIndex.hashKey, args.primaryIndex.rangeKey)).toEqual(local.KeySchema);
  });

  it("declares the local table's attributes, each used by a key", () => {
    const infra = Object.entries(args.fields).map(([AttributeName, type]) => ({ AttributeName, AttributeType: attributeType[type] }));
    expect(infra.sort(byName("AttributeName"))).toEqual([...(local.AttributeDefinitions ?? [])].sort(byName("AttributeName")));
    const keys = [args.primaryIndex, ...Object.values(args.globalIndexes)].flatMap((index) => [index.hashKey, index.rangeKey]);
    expect(new Set(keys)).toEqual(new Set(Object.keys(args.fields)));
  });

  it("has the local table's GSIs, keys and projections", () => {
    const infra = Object.entries(args.globalIndexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: keySchema(index.hashKey, index.rangeKey),
      Projection: projection(index.projection),
    }));
    expect(infra.sort(byName("IndexName"))).toEqual([...(local.GlobalSecondaryIndexes ?? [])].sort(byName("IndexName")));
  });

  it("streams new and old images like the local table", () => {
    expect(local.StreamSpecification?.StreamEnabled).toBe(true);
    expect(args.stream.toUpperCase().replace(/-/g, "_")).toBe(local.StreamSpecification?.StreamViewType);
  });

  it("expires items on the attribute the local stack enables TTL on", () => {
    expect(args.ttl).toBe(tableDefinition.ttlAttribute);
  });
});
