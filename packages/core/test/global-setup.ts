import { startDynamoLocal, type DynamoLocal } from "@classroom/local-services/dynamo";
import type { TestProject } from "vitest/node";
import { ENDPOINT_ENV, TABLE_ENV } from "../src/table.ts";
import { ensureTable } from "../src/table-admin.ts";

let dynamo: DynamoLocal | undefined;

export default async function setup(project: TestProject) {
  dynamo = await startDynamoLocal();
  process.env[ENDPOINT_ENV] = dynamo.endpoint;
  process.env[TABLE_ENV] = "classroom-test";
  await ensureTable("classroom-test");
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
