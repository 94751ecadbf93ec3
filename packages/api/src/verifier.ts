/**
 * The pool's token verifier (aws-jwt-verify) and its configuration, in a module of its own: it
 * needs nothing of the API or the domain, so the Lambda handler can start downloading the keys
 * (`prefetchKeys`) before it loads everything else.
 *
 * Calls to the pool (the JWKS here, GetUser in auth.ts) go through node:http(s), not `fetch`: a
 * cold start then does not set up fetch's HTTP client (undici's parser is WebAssembly, compiled
 * on first use) for two requests.
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { logger } from "./log.ts";

interface AuthConfig {
  issuer: string;
  clientId: string;
  jwksUri: string;
  cognitoEndpoint: string;
}

function readConfig(): AuthConfig {
  const issuer = process.env.AUTH_ISSUER;
  const clientId = process.env.AUTH_CLIENT_ID;
  if (!issuer || !clientId) throw new Error("AUTH_ISSUER and AUTH_CLIENT_ID must be set");
  return {
    issuer,
    clientId,
    jwksUri: process.env.AUTH_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
    // The pool's issuer is `https://cognito-idp.<region>.amazonaws.com/<pool id>`; its API lives at that host.
    cognitoEndpoint: process.env.COGNITO_ENDPOINT ?? new URL(issuer).origin,
  };
}

const CALL_TIMEOUT_MS = 3000;

/** One HTTP(S) request with a deadline for the whole exchange; rejects when it cannot complete. */
export function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = send(url, { method: options.method ?? "GET", headers: options.headers, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The pool's keys could not be downloaded: the pool is unreachable, not the token wrong. */
export class KeysUnavailable extends Error {}

let keysDownloaded = false;

/**
 * Whether this process has ever downloaded the pool's keys. Until it has, a failed download
 * means no token can be checked at all (503); afterwards the cached keys check every token, and
 * one whose key id they lack is refused (401) even when a refresh of the key set fails.
 */
export function haveKeys(): boolean {
  return keysDownloaded;
}

/** aws-jwt-verify only fetches over https; the local pool serves its JWKS over http. */
const jwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await call(uri).catch((error: unknown) => {
      throw new KeysUnavailable(`JWKS fetch failed: ${(error as Error).message}`);
    });
    if (response.status < 200 || response.status > 299) throw new KeysUnavailable(`JWKS fetch failed with ${response.status}`);
    keysDownloaded = true;
    const { buffer, byteOffset, byteLength } = response.body;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  },
};

function createVerifier(config: AuthConfig) {
  return JwtRsaVerifier.create(
    {
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audience: null, // Cognito access tokens carry `client_id`, not `aud`.
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error("not an access token");
        if (payload.client_id !== config.clientId) throw new Error("token issued to another client");
        if (typeof payload.sub !== "string" || payload.sub.length === 0) throw new Error("token without subject");
        // aws-jwt-verify checks `exp` only when present; a token without one would never expire.
        if (typeof payload.exp !== "number") throw new Error("token without expiry");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
}

let state: { config: AuthConfig; verifier: ReturnType<typeof createVerifier> } | undefined;

export function auth() {
  if (!state) {
    const config = readConfig();
    state = { config, verifier: createVerifier(config) };
  }
  return state;
}

/**
 * Starts downloading the pool's JWKS now (aws-jwt-verify's `hydrate`), so that the first request
 * of a cold start finds the keys on their way, or there, instead of asking for them itself. The
 * Lambda handler calls it before it loads the rest of its code. A request arriving meanwhile
 * waits for this same download (aws-jwt-verify shares it); if the download fails, that request
 * answers 503 `auth.unavailable` (see `haveKeys`) and the next one downloads the keys again. The
 * failure is logged here.
 */
export function prefetchKeys(): void {
  try {
    auth()
      .verifier.hydrate()
      .catch((error: unknown) => logger.warn("JWKS prefetch failed", { error: error as Error }));
  } catch (error) {
    logger.warn("JWKS prefetch skipped", { error: error as Error });
  }
}
