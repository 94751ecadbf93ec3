/**
 * The /docs page: Scalar's API reference (`@scalar/api-reference`) rendering /openapi.json, with
 * a console that sends real calls with the bearer token a reader pastes in.
 *
 * The renderer is one prebuilt browser script from the npm package, served by the API itself at
 * `/docs/assets/<name>` (no CDN, no web fonts: the page works offline and on a locked-down
 * network). Its name carries a hash of its content, so browsers may cache it for good and a new
 * version is a new name. The file is read from disk on the first request, never imported: it stays
 * out of the Lambda bundle's module graph. On Lambda it is not in node_modules (the handler is one
 * esbuild bundle), so infra/api.ts copies it into the function's artifact (`copyFiles`) at
 * `DEPLOYED_RENDERER`, which is looked at first.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the deployed function finds the renderer, relative to its code's root (see infra/api.ts). */
export const DEPLOYED_RENDERER = "docs/api-reference.js";

/** Where the reference page's files are served (the route `GET /docs/assets/{file}`). */
export const DOCS_ASSETS = "/docs/assets/";

interface Renderer {
  name: string;
  script: string;
}

let renderer: Renderer | undefined;

function rendererPath(): string {
  const taskRoot = process.env.LAMBDA_TASK_ROOT;
  const deployed = taskRoot ? join(taskRoot, DEPLOYED_RENDERER) : undefined;
  if (deployed && existsSync(deployed)) return deployed;
  // The package's main entry is dist/index.js; the standalone browser build sits beside it.
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return join(dirname(entry), "browser", "standalone.js");
}

function loadRenderer(): Renderer {
  if (!renderer) {
    const script = readFileSync(rendererPath(), "utf8");
    const hash = createHash("sha256").update(script).digest("hex").slice(0, 12);
    renderer = { name: `api-reference.${hash}.js`, script };
  }
  return renderer;
}

/** The renderer's script and its headers when `file` is its current name; undefined for anything else. */
export function docsAsset(file: string): { headers: Record<string, string>; body: string } | undefined {
  const { name, script } = loadRenderer();
  if (file !== name) return undefined;
  return { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" }, body: script };
}

/**
 * The page. Links are relative (`openapi.json`, `docs/assets/...`), so it works under whatever
 * origin serves it. The configuration turns off everything that would reach another site.
 */
export function docsPage(): string {
  const { name } = loadRenderer();
  const config = {
    url: "openapi.json",
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: false,
    showDeveloperTools: "never",
    agent: { disabled: true },
    mcp: { disabled: true },
    documentDownloadType: "json",
    authentication: { preferredSecurityScheme: "cognito" },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Classroom API</title>
<style>body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; } :root { --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }</style>
</head>
<body>
<noscript>This page needs JavaScript. The description itself is at <a href="openapi.json">openapi.json</a>.</noscript>
<div id="app"></div>
<script src="${DOCS_ASSETS.slice(1)}${name}"></script>
<script>Scalar.createApiReference("#app", ${JSON.stringify(config)});</script>
</body>
</html>
`;
}
