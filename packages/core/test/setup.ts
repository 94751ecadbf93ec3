import { inject } from "vitest";
import { FILES_BUCKET_ENV, S3_ENDPOINT_ENV } from "../src/file/storage.ts";
import { ENDPOINT_ENV, TABLE_ENV } from "../src/table.ts";

process.env[ENDPOINT_ENV] = inject("dynamoEndpoint");
process.env[TABLE_ENV] = "classroom-test";
process.env[S3_ENDPOINT_ENV] = inject("s3Endpoint");
process.env[FILES_BUCKET_ENV] = "classroom-test-files";
