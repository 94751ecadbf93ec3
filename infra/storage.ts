import { tableDefinition } from "@classroom/core/table-definition";

/**
 * The Classroom table, derived from core's `tableDefinition` (which the local stack also
 * creates its table from), so no key name is restated here.
 */
export const table = new sst.aws.Dynamo("Table", {
  fields: tableDefinition.attributes,
  primaryIndex: {
    hashKey: tableDefinition.partitionKey,
    rangeKey: tableDefinition.sortKey,
  },
  globalIndexes: Object.fromEntries(
    Object.entries(tableDefinition.globalIndexes).map(([name, index]) => [
      name,
      { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: "all" as const },
    ]),
  ),
  stream: tableDefinition.stream,
  ttl: tableDefinition.ttlAttribute,
  deletionProtection: $app.stage === "production",
});
