/**
 * Builds the installable package into dist/:
 *   index.js    ESM, the client's own code with the shared limits it uses folded in;
 *               @trpc/client and superjson stay imports.
 *   index.d.ts  ONE declaration file: the client's API plus the router's types (AppRouter and
 *               everything it references from the api and core packages, and zod's types
 *               where those name them), so a consumer needs no workspace package. Only
 *               @trpc/client, @trpc/server and superjson stay imports: they are the
 *               package's dependencies.
 * The type-check before it (package.json `build`) matters: a type the compiler cannot
 * resolve would otherwise land in the declaration file as `any`, silently.
 * TypeScript 7 has no compiler API, so rollup-plugin-dts uses @typescript/typescript6's.
 */
import { build } from "esbuild";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const here = fileURLToPath(new URL(".", import.meta.url));
const entry = `${here}src/index.ts`;
const outDir = `${here}dist`;

/** What the consumer installs alongside; everything else is inlined. */
const runtime = ["@trpc/client", "@trpc/server", "superjson"];
const isRuntime = (id: string) => runtime.some((name) => id === name || id.startsWith(`${name}/`));

await rm(outDir, { recursive: true, force: true });

await build({
  entryPoints: [entry],
  outfile: `${outDir}/index.js`,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // Folds the shared limits into the code, so unused ones (plain expressions) are dropped.
  minifySyntax: true,
  external: runtime,
  logLevel: "warning",
});

const types = await rollup({
  input: entry,
  external: isRuntime,
  plugins: [
    dts({
      tsconfig: `${here}tsconfig.json`,
      // Follow bare imports (workspace packages, zod, ...) into the bundle instead of leaving them as imports.
      respectExternal: true,
      // The plugin keeps symlinked paths by default; the workspace packages are symlinks, and the
      // api's declarations can only name core's types from where core really is.
      compilerOptions: { preserveSymlinks: false },
    }),
  ],
});
await types.write({ file: `${outDir}/index.d.ts`, format: "es" });
await types.close();
