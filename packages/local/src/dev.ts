/**
 * `pnpm dev`: the whole product on this machine, no cloud. DynamoDB Local (data kept in
 * .local/data), a local Cognito pool with demo users, a local S3 for files (.local/data/s3),
 * the API and the web app when it is there, on the ports below (each overridable by its variable). Writes .local/stack.json for
 * scripts. Ctrl-C stops everything and exits 0.
 */
import { handler as trainRecommendations } from "@classroom/api/lambda/train";
import { CognitoLocalError } from "@classroom/local-services/cognito";
import { DynamoLocalError, portInUse } from "@classroom/local-services/dynamo";
import { S3LocalError } from "@classroom/local-services/s3";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "./seed.ts";
import { type Stack, startStack } from "./stack.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const localDir = join(root, ".local");
const webDir = join(root, "apps/web");

/** Every port `pnpm dev` listens on, with the variable that moves it. */
const PORTS = [
  { variable: "PORT", what: "the API", fallback: 3000 },
  { variable: "WEB_PORT", what: "the web app", fallback: 5173 },
  { variable: "DYNAMODB_PORT", what: "DynamoDB Local", fallback: 8000 },
  { variable: "COGNITO_PORT", what: "the local Cognito", fallback: 9229 },
  { variable: "S3_PORT", what: "the local S3", fallback: 4568 },
] as const;

type PortVariable = (typeof PORTS)[number]["variable"];

function fail(message: string): never {
  console.error(`\n  ✖ ${message}\n`);
  process.exit(1);
}

/**
 * Reads the four ports and checks them all before anything starts, so one message names every
 * conflict (a port in use, or given to two variables) with the variable that moves it.
 */
async function choosePorts(): Promise<Record<PortVariable, number>> {
  const chosen = {} as Record<PortVariable, number>;
  const problems: string[] = [];
  for (const { variable, fallback } of PORTS) {
    const raw = process.env[variable];
    const port = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push(`${variable}=${raw} is not a port number (1-65535)`);
    chosen[variable] = port;
  }
  if (problems.length) fail(`Cannot start:\n      ${problems.join("\n      ")}`);

  const taken = new Set(Object.values(chosen));
  const conflicts: Array<{ variable: PortVariable; message: string }> = [];
  const inUse = await Promise.all(PORTS.map(({ variable }) => portInUse(chosen[variable])));
  PORTS.forEach(({ variable, what }, i) => {
    const port = chosen[variable];
    const twin = PORTS.slice(0, i).find((other) => chosen[other.variable] === port);
    if (twin) conflicts.push({ variable, message: `${what} would share port ${port} with ${twin.what} (${twin.variable})` });
    else if (inUse[i]) conflicts.push({ variable, message: `${what} needs port ${port}, which is already in use` });
  });
  if (conflicts.length === 0) return chosen;

  // Suggest a free port near each taken one.
  const suggestions: string[] = [];
  for (const { variable } of conflicts) {
    let candidate = chosen[variable] + 1;
    while (candidate <= 65_535 && (taken.has(candidate) || (await portInUse(candidate)))) candidate++;
    taken.add(candidate);
    suggestions.push(`${variable}=${candidate}`);
  }
  const width = Math.max(...conflicts.map((c) => c.variable.length));
  fail(
    `Cannot start: ${conflicts.length === 1 ? "a port is" : `${conflicts.length} ports are`} not free.\n` +
      conflicts.map((c) => `      ${c.variable.padEnd(width)}  ${c.message}`).join("\n") +
      `\n    Stop what uses ${conflicts.length === 1 ? "it" : "them"}, or move Classroom: ${suggestions.join(" ")} pnpm dev`,
  );
}

/**
 * Calls `stop` on Ctrl-C (and SIGINT/SIGTERM). pnpm reports a command failed whenever it gets
 * the terminal's SIGINT itself, even when the command then exits 0; so in a terminal, Ctrl-C
 * is read here as a key (raw mode) and never becomes a signal for pnpm to see.
 */
function onStop(stop: () => void) {
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (process.stdin.isTTY && inForeground()) {
    process.stdin.setRawMode(true);
    process.stdin.on("data", (keys: Buffer) => {
      // Ctrl-C, or Ctrl-D.
      if (keys.includes(0x03) || keys.includes(0x04)) stop();
    });
  }
}

/**
 * Whether this process is in the terminal's foreground process group (the one Ctrl-C reaches).
 * In the background (`pnpm dev &`) switching the terminal to raw mode would stop the process.
 */
function inForeground(): boolean {
  try {
    // /proc/self/stat: "pid (name) state ppid pgrp session tty tpgid ..."
    const stat = readFileSync("/proc/self/stat", "utf8");
    const [, , pgrp, , , tpgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return pgrp !== undefined && pgrp === tpgid;
  } catch {
    try {
      const [pgrp, tpgid] = execFileSync("ps", ["-o", "pgid=,tpgid=", "-p", String(process.pid)], { encoding: "utf8" }).trim().split(/\s+/);
      return pgrp !== undefined && pgrp === tpgid;
    } catch {
      return false;
    }
  }
}

/** vite's CLI, run with node directly: through `pnpm exec` a Ctrl-C would be reported as a failure. */
function startWeb(port: number, stack: Stack): ChildProcess | undefined {
  if (!existsSync(join(webDir, "package.json"))) return undefined;
  const viteDir = join(webDir, "node_modules/vite");
  const bin = (JSON.parse(readFileSync(join(viteDir, "package.json"), "utf8")) as { bin: { vite: string } }).bin.vite;
  return spawn(process.execPath, [join(viteDir, bin), "--port", String(port), "--strictPort", "--host", "127.0.0.1", "--clearScreen", "false"], {
    cwd: webDir,
    // stdin stays with this process, which reads Ctrl-C from it.
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      VITE_API_URL: stack.apiUrl,
      VITE_COGNITO_ENDPOINT: stack.cognitoEndpoint,
      VITE_COGNITO_CLIENT_ID: stack.pool.clientId,
    },
  });
}

async function main() {
  let starting: Promise<Stack> | undefined;
  let web: ChildProcess | undefined;
  let stopping = false;
  onStop(() => {
    // A second Ctrl-C does not wait for the services to stop.
    if (stopping) process.exit(0);
    stopping = true;
    console.log("\n  Stopping…");
    web?.kill("SIGTERM");
    void (starting ?? Promise.reject(new Error("not started")))
      .then((stack) => stack.stop())
      .catch(() => undefined)
      .then(() => process.exit(0));
  });

  const ports = await choosePorts();
  starting = startStack({
    dataDir: join(localDir, "data"),
    apiPort: ports.PORT,
    dynamoPort: ports.DYNAMODB_PORT,
    cognitoPort: ports.COGNITO_PORT,
    s3Port: ports.S3_PORT,
    webOrigins: [`http://127.0.0.1:${ports.WEB_PORT}`, `http://localhost:${ports.WEB_PORT}`],
  });
  let stack: Stack;
  try {
    stack = await starting;
  } catch (error) {
    if (error instanceof DynamoLocalError || error instanceof CognitoLocalError || error instanceof S3LocalError) fail(error.message);
    throw error;
  }
  if (stopping) return;
  const seeded = await seedDemo(stack.cognitoEndpoint, stack.pool);
  if (stopping) return;

  web = startWeb(ports.WEB_PORT, stack);
  // The recommendations' training job: hourly on AWS, here every RECS_TRAIN_SECONDS (60). Runs may overlap safely.
  setInterval(() => {
    trainRecommendations().catch((error: unknown) => {
      if (!stopping) console.error(`  Recommendations: training failed: ${(error as Error).message}`);
    });
  }, Number(process.env.RECS_TRAIN_SECONDS ?? 60) * 1000).unref();
  const webUrl = `http://127.0.0.1:${ports.WEB_PORT}`;

  mkdirSync(localDir, { recursive: true });
  const info = {
    apiUrl: stack.apiUrl,
    webUrl: web ? webUrl : null,
    openApiUrl: `${stack.apiUrl}/openapi.json`,
    dynamoEndpoint: stack.dynamoEndpoint,
    tableName: stack.tableName,
    cognito: { endpoint: stack.cognitoEndpoint, ...stack.pool },
    s3: { endpoint: stack.s3Endpoint, filesBucket: stack.filesBucket },
    demo: seeded,
  };
  writeFileSync(join(localDir, "stack.json"), `${JSON.stringify(info, null, 2)}\n`);

  console.log(`
  Classroom is running.
    API        ${stack.apiUrl}   (docs ${stack.apiUrl}/docs)
    Web app    ${web ? webUrl : "(apps/web not present)"}
    DynamoDB   ${stack.dynamoEndpoint}   table ${stack.tableName}
    Cognito    ${stack.cognitoEndpoint}   pool ${stack.pool.userPoolId}
    S3         ${stack.s3Endpoint}   bucket ${stack.filesBucket}
  Demo users (password ${seeded.users.teacher.password}):
    ${Object.values(seeded.users).map((u) => `${u.email} (${u.name})`).join("\n    ")}
  Details in .local/stack.json. Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
