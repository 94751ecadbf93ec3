import { startDynamoLocal, type DynamoLocal } from "@classroom/local-services/dynamo";
import { startS3Local, type S3Local } from "@classroom/local-services/s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ENDPOINT_ENV, TABLE_ENV } from "../src/table.ts";
import { ensureTable } from "../src/table-admin.ts";

let dynamo: DynamoLocal | undefined;
let s3: S3Local | undefined;
const s3Dir = mkdtempSync(join(tmpdir(), "classroom-core-s3-"));

export default async function setup(project: TestProject) {
  dynamo = await startDynamoLocal();
  process.env[ENDPOINT_ENV] = dynamo.endpoint;
  process.env[TABLE_ENV] = "classroom-test";
  await ensureTable("classroom-test");
  project.provide("dynamoEndpoint", dynamo.endpoint);
  // The files tests upload and download through a real (local) S3.
  s3 = await startS3Local({ dataDir: s3Dir, buckets: ["classroom-test-files"] });
  project.provide("s3Endpoint", s3.endpoint);
  return async () => {
    await dynamo?.stop();
    await s3?.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}
