import { DescribeTableCommand, DescribeTimeToLiveCommand, type TableDescription } from "@aws-sdk/client-dynamodb";
import { ENDPOINT_ENV } from "@classroom/core/table";
import { ensureTable } from "@classroom/core/table-admin";
import { type DynamoLocal, localClient, startDynamoLocal } from "@classroom/local-services/dynamo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Infra, loadInfra } from "./fake-sst.ts";

/**
 * Parity: the table the infra asks AWS for must be the table the local stack and the tests
 * run on. The local side is a real DynamoDB Local table created by the tooling and read back
 * with DescribeTable; the AWS side is the `sst.aws.Dynamo` arguments the infra passes,
 * turned into the table request the way SST's Dynamo component does it.
 */

interface SstDynamoArgs {
  fields: Record<string, "string" | "number" | "binary">;
  primaryIndex: { hashKey: string; rangeKey?: string };
  globalIndexes?: Record<string, { hashKey: string; rangeKey?: string; projection?: "all" | "keys-only" | string[] }>;
  stream?: string;
  ttl?: string;
}

const attributeType = { string: "S", number: "N", binary: "B" } as const;
const keySchema = (hashKey: string, rangeKey?: string) => [
  { AttributeName: hashKey, KeyType: "HASH" },
  ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: "RANGE" }] : []),
];
const projection = (p: "all" | "keys-only" | string[] = "all") =>
  p === "keys-only" ? { ProjectionType: "KEYS_ONLY" } : Array.isArray(p) ? { ProjectionType: "INCLUDE", NonKeyAttributes: p } : { ProjectionType: "ALL" };
const byName = (key: string) => (a: any, b: any) => String(a[key]).localeCompare(String(b[key]));

/** What SST's Dynamo component turns its arguments into, in DescribeTable's vocabulary. */
function tableOnAws(args: SstDynamoArgs) {
  return {
    attributes: Object.entries(args.fields)
      .map(([AttributeName, type]) => ({ AttributeName, AttributeType: attributeType[type] }))
      .sort(byName("AttributeName")),
    keySchema: keySchema(args.primaryIndex.hashKey, args.primaryIndex.rangeKey),
    globalIndexes: Object.entries(args.globalIndexes ?? {})
      .map(([IndexName, index]) => ({ IndexName, KeySchema: keySchema(index.hashKey, index.rangeKey), Projection: projection(index.projection) }))
      .sort(byName("IndexName")),
    stream: args.stream ? { StreamEnabled: true, StreamViewType: args.stream.toUpperCase().replaceAll("-", "_") } : undefined,
    ttl: args.ttl,
  };
}

let dynamo: DynamoLocal | undefined;
let infra: Infra;
let local: TableDescription;
let localTtl: { AttributeName?: string; TimeToLiveStatus?: string } | undefined;

beforeAll(async () => {
  infra = await loadInfra();
  dynamo = await startDynamoLocal();
  process.env[ENDPOINT_ENV] = dynamo.endpoint;
  await ensureTable("parity");
  const client = localClient(dynamo.endpoint);
  local = (await client.send(new DescribeTableCommand({ TableName: "parity" }))).Table!;
  localTtl = (await client.send(new DescribeTimeToLiveCommand({ TableName: "parity" }))).TimeToLiveDescription;
  client.destroy();
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
});

describe("the table the infra creates on AWS", () => {
  const aws = () => {
    const tables = infra.ofType("sst.aws.Dynamo");
    expect(tables).toHaveLength(1);
    return tableOnAws(tables[0]!.args as SstDynamoArgs);
  };

  it("has the local table's key schema and attributes", () => {
    expect(aws().keySchema).toEqual(local.KeySchema);
    expect(aws().attributes).toEqual([...(local.AttributeDefinitions ?? [])].sort(byName("AttributeName")));
  });

  it("has the local table's GSIs, with their keys and projections", () => {
    const localIndexes = (local.GlobalSecondaryIndexes ?? [])
      .map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }))
      .sort(byName("IndexName"));
    expect(localIndexes.length).toBeGreaterThan(0);
    expect(aws().globalIndexes).toEqual(localIndexes);
  });

  it("streams what the local table streams (the stream consumer reads old and new images)", () => {
    expect(local.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
    expect(aws().stream).toEqual(local.StreamSpecification);
  });

  it("expires items on the attribute the local table has TTL enabled on", () => {
    expect(localTtl?.TimeToLiveStatus).toBe("ENABLED");
    expect(aws().ttl).toBe(localTtl?.AttributeName);
  });
});
