/**
 * The stack under test, in its own process so the load generator does not share its event
 * loop. Prints one JSON line with the stack's addresses, then serves until SIGTERM. The
 * stream consumer is left out: on AWS it is a Lambda of its own, and here its backlog would
 * share the API's event loop and skew every latency measured after a write-heavy scenario.
 */
import { startStack } from "@classroom/local";

const stack = await startStack({ tableName: "classroom-bench", streams: false });
process.stdout.write(
  `${JSON.stringify({ apiUrl: stack.apiUrl, cognitoEndpoint: stack.cognitoEndpoint, pool: stack.pool, env: stack.env })}\n`,
);
process.on("SIGTERM", () => {
  void stack.stop().then(() => process.exit(0));
});
