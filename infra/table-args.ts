import type { TableDefinition } from "@classroom/core/table-definition";

/**
 * Turns core's table definition into `sst.aws.Dynamo` arguments, so the table on AWS and the
 * local stack's table (core's table-admin.ts) come from the same definition. The parity test
 * (infra/test/table.test.ts) compares what SST is given with a real DynamoDB Local table.
 */
export function dynamoArgs(definition: TableDefinition) {
  return {
    fields: definition.attributes,
    primaryIndex: { hashKey: definition.partitionKey, rangeKey: definition.sortKey },
    globalIndexes: Object.fromEntries(
      Object.entries(definition.globalIndexes).map(([name, index]) => [
        name,
        { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: "all" as const },
      ]),
    ),
    stream: definition.stream,
    ttl: definition.ttlAttribute,
  };
}
