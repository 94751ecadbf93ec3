import { tableDefinition } from "@classroom/core/table-definition";
import { dynamoArgs } from "./table-args.ts";

/**
 * The Classroom table, derived from core's `tableDefinition` (which the local stack also
 * creates its table from), so no key name is restated here.
 */
export const table = new sst.aws.Dynamo("Table", {
  ...dynamoArgs(tableDefinition),
  deletionProtection: $app.stage === "production",
});
