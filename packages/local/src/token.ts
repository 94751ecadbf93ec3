/**
 * Prints a Cognito ACCESS token for a user of the running local stack (`pnpm dev`), for curl
 * and scripts:
 *
 *   TOKEN=$(pnpm --silent access-token teacher@classroom.test)
 *   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/classes
 *
 * It signs in through the same InitiateAuth call the web app uses. The API accepts access
 * tokens only: an ID token carries the app's client id in `aud` and is meant for the client,
 * not for calling APIs, so the verifier refuses it.
 */
import { type Pool, signIn } from "@classroom/local-services/cognito";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_PASSWORD } from "./seed.ts";

const stackFile = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".local", "stack.json");

async function main(): Promise<void> {
  const [email, password = DEMO_PASSWORD] = process.argv.slice(2);
  if (!email) {
    console.error("usage: pnpm --silent access-token <email> [password]   (the demo users' password is the default)");
    process.exit(2);
  }
  if (!existsSync(stackFile)) {
    console.error("No local stack found: start it with `pnpm dev` first.");
    process.exit(1);
  }
  const stack = JSON.parse(readFileSync(stackFile, "utf8")) as { cognito: Pool & { endpoint: string } };
  const { endpoint, ...pool } = stack.cognito;
  try {
    const tokens = await signIn(endpoint, pool, email, password);
    process.stdout.write(`${tokens.accessToken}\n`);
  } catch (error) {
    console.error(`Could not sign in ${email}: ${(error as Error).message}. Is \`pnpm dev\` running, and is the password right?`);
    process.exit(1);
  }
}

void main();
