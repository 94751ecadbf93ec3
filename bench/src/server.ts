/**
 * The stack under test, in its own process so the load generator does not share its event
 * loop. Prints one JSON line with the stack's addresses, then serves until SIGTERM.
 */
import { startStack } from "@classroom/local";

const stack = await startStack({ tableName: "classroom-bench" });
process.stdout.write(
  `${JSON.stringify({ apiUrl: stack.apiUrl, cognitoEndpoint: stack.cognitoEndpoint, pool: stack.pool, env: stack.env })}\n`,
);
process.on("SIGTERM", () => {
  void stack.stop().then(() => process.exit(0));
});
