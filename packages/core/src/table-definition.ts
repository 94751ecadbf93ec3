/**
 * The shape of Classroom's one DynamoDB table (see table.ts for the item layout).
 * Kept free of imports: SST's config bundle loads this file to build the table on AWS.
 */
export const tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  attributes: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    rank_pk: "string",
    rank_sk: "string",
    top_pk: "string",
    top_sk: "string",
  },
  globalIndexes: {
    gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    /** Standings of a class's students by score (see standing/entity.ts). */
    ClassRankingIndex: { partitionKey: "rank_pk", sortKey: "rank_sk" },
    /** Sparse: only standings above the top performers' threshold carry its keys. */
    TopPerformersIndex: { partitionKey: "top_pk", sortKey: "top_sk" },
  },
  ttlAttribute: "expires_at",
  stream: "new-and-old-images",
} as const;

export type TableDefinition = typeof tableDefinition;
