import type { TableDefinition } from "@classroom/core/table-definition";

/**
 * Turns core's table definition into `sst.aws.Dynamo` arguments. Kept pure (no `sst` globals)
 * so the parity test can compare it with the CreateTable request the local stack sends.
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
