import { afterAll, expect, inject } from "vitest";
import { isUnexpected, readApiLogs } from "../src/api-logs.ts";

// Tests read the table directly (to prove that refused requests changed nothing) and the
// Lambda entry point runs in-process: both need the same environment as the API server.
Object.assign(process.env, inject("stack").env);

// The API's log lines are kept out of the output (src/api-logs.ts). An unexpected error it
// logged while this file ran (a 500) fails the file.
const started = Date.now();
afterAll(() => {
  const unexpected = readApiLogs(inject("apiLog")).filter(
    (record) => isUnexpected(record) && Date.parse(record.timestamp ?? "") >= started,
  );
  expect(unexpected, "errors the API logged with a 500 while this file ran").toEqual([]);
});
