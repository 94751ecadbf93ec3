/**
 * Table creation, for tooling only: the local stack, the tests and the infra's parity test
 * create the table with these. On AWS the infra creates it (from the same `tableDefinition`),
 * so nothing here belongs in a Lambda bundle: the runtime module is table.ts.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { dynamo, tableName } from "./table.ts";
import { tableDefinition } from "./table-definition.ts";

/** The CreateTable request for the table definition (on-demand, stream on). */
export function createTableInput(name: string): CreateTableCommandInput {
  const def = tableDefinition;
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: Object.entries(def.attributes).map(([AttributeName, type]) => ({
      AttributeName,
      AttributeType: type === "string" ? "S" : "N",
    })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: "HASH" },
      { AttributeName: def.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: Object.entries(def.globalIndexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
    StreamSpecification: {
      StreamEnabled: true,
      StreamViewType: def.stream.toUpperCase().replaceAll("-", "_") as "NEW_AND_OLD_IMAGES",
    },
  };
}

/**
 * Creates the table (and its TTL setting) if it does not exist yet, through the client
 * table.ts configures (`DYNAMODB_ENDPOINT` points it at DynamoDB Local).
 */
export async function ensureTable(name = tableName()): Promise<void> {
  const client = dynamo();
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(name)));
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceInUseException") throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
    }),
  ).catch((error: { name?: string }) => {
    // Already enabled by a concurrent caller.
    if (error.name !== "ValidationException") throw error;
  });
}
