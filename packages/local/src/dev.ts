/**
 * `pnpm dev`: the whole product on this machine, no cloud. DynamoDB Local (data kept in
 * .local/data), a local Cognito pool with demo users, the API on PORT (3000), and the web
 * app when it is there. Writes .local/stack.json for scripts. Ctrl-C stops everything.
 */
import { CognitoLocalError } from "@classroom/local-services/cognito";
import { DynamoLocalError, portInUse } from "@classroom/local-services/dynamo";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "./seed.ts";
import { type Stack, startStack } from "./stack.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const localDir = join(root, ".local");
const apiPort = Number(process.env.PORT ?? 3000);
const webPort = Number(process.env.WEB_PORT ?? 5173);
const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
const cognitoPort = Number(process.env.COGNITO_PORT ?? 9229);

function fail(message: string): never {
  console.error(`\n  ✖ ${message}\n`);
  process.exit(1);
}

async function main() {
  for (const [name, port, variable] of [
    ["The API", apiPort, "PORT"],
    ["The web app", webPort, "WEB_PORT"],
    ["DynamoDB Local", dynamoPort, "DYNAMODB_PORT"],
    ["The local Cognito", cognitoPort, "COGNITO_PORT"],
  ] as const) {
    if (await portInUse(port)) fail(`${name} needs port ${port}, which is already in use. Stop what uses it, or set ${variable}=<port>.`);
  }

  let stack: Stack;
  try {
    stack = await startStack({ dataDir: join(localDir, "data"), apiPort, dynamoPort, cognitoPort });
  } catch (error) {
    if (error instanceof DynamoLocalError || error instanceof CognitoLocalError) fail(error.message);
    throw error;
  }
  const seeded = await seedDemo(stack.cognitoEndpoint, stack.pool);

  let web: ChildProcess | undefined;
  const webDir = join(root, "apps/web");
  const webUrl = `http://127.0.0.1:${webPort}`;
  if (existsSync(join(webDir, "package.json"))) {
    web = spawn("pnpm", ["exec", "vite", "--port", String(webPort), "--strictPort", "--host", "127.0.0.1"], {
      cwd: webDir,
      stdio: "inherit",
      env: {
        ...process.env,
        VITE_API_URL: stack.apiUrl,
        VITE_COGNITO_ENDPOINT: stack.cognitoEndpoint,
        VITE_COGNITO_CLIENT_ID: stack.pool.clientId,
      },
    });
  }

  mkdirSync(localDir, { recursive: true });
  const info = {
    apiUrl: stack.apiUrl,
    webUrl: web ? webUrl : null,
    openApiUrl: `${stack.apiUrl}/openapi.json`,
    dynamoEndpoint: stack.dynamoEndpoint,
    tableName: stack.tableName,
    cognito: { endpoint: stack.cognitoEndpoint, ...stack.pool },
    demo: seeded,
  };
  writeFileSync(join(localDir, "stack.json"), `${JSON.stringify(info, null, 2)}\n`);

  console.log(`
  Classroom is running.
    API        ${stack.apiUrl}   (docs ${stack.apiUrl}/docs)
    Web app    ${web ? webUrl : "(apps/web not present)"}
    DynamoDB   ${stack.dynamoEndpoint}   table ${stack.tableName}
    Cognito    ${stack.cognitoEndpoint}   pool ${stack.pool.userPoolId}
  Demo users (password ${seeded.users.teacher.password}):
    ${Object.values(seeded.users).map((u) => `${u.email} (${u.name})`).join("\n    ")}
  Details in .local/stack.json. Ctrl-C stops everything.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    web?.kill("SIGTERM");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
