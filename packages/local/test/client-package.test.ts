/**
 * The package as a service outside this repository gets it: `pnpm pack` (which builds it),
 * `npm install <tarball>` into a fresh project in the temp dir with TypeScript from the
 * registry and a `tsc --init` tsconfig, then the README's example type-checked there and run
 * against the local stack with a Cognito access token it signs in for itself.
 */
import { ensureUser, signIn } from "@classroom/local-services/cognito";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient } from "@classroom/client";

const stack = inject("stack");
/** The client package, as its own folder in the workspace. */
const packageDir = fileURLToPath(new URL("../../client/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "classroom-client-consumer-"));
const tsc = join(scratch, "node_modules", ".bin", "tsc");

/** The dependencies a consumer gets; nothing of the workspace. */
const DEPENDENCIES = ["@trpc/client", "@trpc/server", "superjson"];

interface Run {
  code: number;
  output: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function succeed(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.code}):\n${result.output}`);
  return result.output;
}

/** The README's TypeScript files: each fenced block that starts with a `// <name>.ts` line. */
function readmeFiles(): Map<string, string> {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const files = new Map<string, string>();
  for (const [, name, body] of readme.matchAll(/```ts\n\/\/ (\S+\.ts)\n([\s\S]*?)```/g)) files.set(name!, body!);
  return files;
}

/** The version of a package the workspace itself uses (the catalog pin), so npm takes it from its cache. */
const workspaceVersion = (name: string) =>
  (JSON.parse(readFileSync(createRequire(join(packageDir, "..", "..", "package.json")).resolve(`${name}/package.json`), "utf8")) as { version: string }).version;

let tarball: string;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), "classroom-client-pack-"));
  await succeed("pnpm", ["pack", "--pack-destination", packDir], { cwd: packageDir });
  const packed = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
  expect(packed).toHaveLength(1);
  tarball = join(packDir, packed[0]!);

  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  await succeed(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `typescript@${workspaceVersion("typescript")}`, `@types/node@${workspaceVersion("@types/node")}`],
    { cwd: scratch },
  );
  // TypeScript's own default project; its comment says to use Node's types this way.
  await succeed(tsc, ["--init"], { cwd: scratch });
  const tsconfig = readFileSync(join(scratch, "tsconfig.json"), "utf8");
  expect(tsconfig).toContain('"types": [],');
  writeFileSync(join(scratch, "tsconfig.json"), tsconfig.replace('"types": [],', '"types": ["node"],'));

  const files = readmeFiles();
  expect([...files.keys()]).toEqual(["token.ts", "example.ts"]);
  for (const [name, body] of files) writeFileSync(join(scratch, name), body);
}, 300_000); // packing builds the package (a full type-check and the declaration bundle), then installs it

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe("the packed package", { timeout: 180_000 }, () => {
  it("holds the built JavaScript, one declaration file and the README, and depends on no workspace package", async () => {
    const listing = await succeed("tar", ["-tzf", tarball], { cwd: scratch });
    expect(listing.trim().split("\n").sort()).toEqual(["package/README.md", "package/dist/index.d.ts", "package/dist/index.js", "package/package.json"]);

    const installed = join(scratch, "node_modules", "@classroom", "client");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(manifest.dependencies as object).sort()).toEqual(DEPENDENCIES);
    expect(manifest.peerDependencies).toBeUndefined();
    expect(Object.values(manifest.dependencies as object).every((version) => /^\d+\.\d+\.\d+$/.test(version as string))).toBe(true);
    expect(manifest.exports).toEqual({ ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } });

    const imported = (file: string) =>
      [...readFileSync(join(installed, "dist", file), "utf8").matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
    for (const file of ["index.js", "index.d.ts"]) {
      expect(imported(file).filter((specifier) => !DEPENDENCIES.includes(specifier!)), file).toEqual([]);
    }
  });

  it("type-checks the README's example in a default TypeScript project", async () => {
    const result = await run(tsc, ["-p", "."], { cwd: scratch });
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("rejects a consumer's type errors (the router's types are real, not any)", async () => {
    const mistake = join(scratch, "mistake.ts");
    writeFileSync(
      mistake,
      [
        'import { createClient } from "@classroom/client";',
        'const classroom = createClient({ url: "https://api.example.edu", getToken: () => "token" });',
        'await classroom.chat.send.mutate({ class_id: "c1", content: 42 });',
        "await classroom.chat.unknown.query();",
        'const newer: number = (await classroom.chat.poll.query({ class_id: "c1", cursor: "x" })).newer;',
        "",
      ].join("\n"),
    );
    try {
      const result = await run(tsc, ["--noEmit", "-p", "."], { cwd: scratch });
      expect(result.code).not.toBe(0);
      const errors = result.output.trim().split("\n").filter((line) => line.includes("error TS"));
      expect(errors.map((line) => line.replace(/\((\d+),\d+\): error (TS\d+).*/, ":$1 $2"))).toEqual([
        "mistake.ts:3 TS2322", // content is a string
        "mistake.ts:4 TS2339", // no such procedure
        "mistake.ts:5 TS2322", // the cursor is a string
      ]);
    } finally {
      rmSync(mistake);
    }
  });

  it("has a declaration file that type-checks with skipLibCheck off", async () => {
    const result = await run(tsc, ["--noEmit", "-p", ".", "--skipLibCheck", "false"], { cwd: scratch });
    const errors = result.output.split("\n").filter((line) => line.includes("error TS"));
    // @trpc/server's own declarations name the `ws` package's types, which it does not depend on.
    expect(errors.filter((line) => !line.startsWith("node_modules/@trpc/server/"))).toEqual([]);
  });

  it("runs the README's example against the API, signing in for an access token", async () => {
    const email = `service-${Date.now()}@school.test`;
    const password = "Correct-Horse-9";
    await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password, name: "Grading Service" });
    const { accessToken } = await signIn(stack.cognitoEndpoint, stack.pool, email, password);
    const workspaceClient = createClient({ url: stack.apiUrl, getToken: () => accessToken });
    const { class_id } = await workspaceClient.class.create.mutate({ name: "Biology" });
    await workspaceClient.chat.send.mutate({ class_id, content: "Welcome" });

    const output = await succeed(process.execPath, ["example.js"], {
      cwd: scratch,
      env: {
        CLASSROOM_API_URL: stack.apiUrl,
        COGNITO_ENDPOINT: stack.cognitoEndpoint,
        COGNITO_CLIENT_ID: stack.pool.clientId,
        CLASSROOM_USERNAME: email,
        CLASSROOM_PASSWORD: password,
        CLASS_ID: class_id,
      },
    });
    const lines = output.trim().split("\n");
    expect(lines[0]).toBe("Grading Service: Welcome");
    expect(lines[1]).toMatch(/^sent \S+; the retry returned the same message: true$/);
    expect(lines.slice(2)).toEqual(['new since the page: ["Grades are out"]', "refused: input.invalid"]);

    const chat = await workspaceClient.chat.list.query({ class_id });
    expect(chat.messages.map((message) => message.content)).toEqual(["Welcome", "Grades are out"]);
  });

  it("keeps a burst of calls within the API's batch limit", async () => {
    const email = `burst-${Date.now()}@school.test`;
    await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password: "Correct-Horse-9", name: "Burst" });
    const { accessToken } = await signIn(stack.cognitoEndpoint, stack.pool, email, "Correct-Horse-9");
    const packed = (await import(pathToFileURL(join(scratch, "node_modules", "@classroom", "client", "dist", "index.js")).href)) as typeof import("@classroom/client");
    const classroom = packed.createClient({ url: stack.apiUrl, getToken: () => accessToken });
    // The API looks a new user's profile up once; the burst is about batching, not that.
    await classroom.me.query();
    const results = await Promise.all(Array.from({ length: 60 }, () => classroom.me.query()));
    expect(new Set(results.map((me) => me.email))).toEqual(new Set([email]));
  });
});
