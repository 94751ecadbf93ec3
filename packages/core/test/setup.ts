import { inject } from "vitest";
import { ENDPOINT_ENV, TABLE_ENV } from "../src/table.ts";

process.env[ENDPOINT_ENV] = inject("dynamoEndpoint");
process.env[TABLE_ENV] = "classroom-test";
