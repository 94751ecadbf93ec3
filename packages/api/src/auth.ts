/**
 * Authentication: every request but health and the API description carries a Cognito
 * access token (`Authorization: Bearer <jwt>`), verified here with aws-jwt-verify.
 *
 * The verifier is created once per process and caches the pool's JWKS; tokens with an
 * unknown key id do not trigger a JWKS download each (aws-jwt-verify's penalty box).
 * Configuration comes from the environment, on AWS and locally alike:
 *   AUTH_ISSUER     the pool's issuer URL (`https://cognito-idp.<region>.amazonaws.com/<pool>`)
 *   AUTH_CLIENT_ID  the app client whose access tokens are accepted
 *   AUTH_JWKS_URI   optional; defaults to `<issuer>/.well-known/jwks.json`
 *   COGNITO_ENDPOINT optional; the Cognito API endpoint (set for the local pool)
 * Access tokens carry no email or name, so the profile comes from Cognito's GetUser (with
 * the same token) once per user per process, and is remembered for adding members by email.
 * GetUser is authorized by the access token itself (no AWS signature), so it is one plain
 * HTTPS call, which keeps the Cognito SDK out of the Lambda bundle. Both calls (the JWKS and
 * GetUser) go through node:http(s), not `fetch`: a cold start then does not set up fetch's
 * HTTP client (undici's parser is WebAssembly, compiled on first use) for two requests.
 */
import type { Actor } from "@classroom/core/actor";
import { DomainError } from "@classroom/core/errors";
import * as User from "@classroom/core/user";
import * as Membership from "@classroom/core/membership";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export const unauthorized = (message = "Sign in to continue: the access token is missing, invalid or expired.") =>
  new DomainError("unauthorized", "auth.unauthorized", message);

const MAX_TOKEN_LENGTH = 8192;

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
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: Buffer }> {
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

/** aws-jwt-verify only fetches over https; the local pool serves its JWKS over http. */
const jwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await call(uri);
    if (response.status < 200 || response.status > 299) throw new Error(`JWKS fetch failed with ${response.status}`);
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

function auth() {
  if (!state) {
    const config = readConfig();
    state = { config, verifier: createVerifier(config) };
  }
  return state;
}

/** Cognito's GetUser: the attributes of the user the access token belongs to. */
async function getUserAttributes(token: string): Promise<Record<string, string>> {
  let response: { status: number; body: Buffer };
  try {
    response = await call(auth().config.cognitoEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
      },
      body: JSON.stringify({ AccessToken: token }),
    });
  } catch {
    throw new DomainError("unavailable", "auth.unavailable", "Sign-in is briefly unavailable. Please try again.");
  }
  // Cognito refuses a token it has revoked (global sign-out). This runs once per user per
  // process, so it is not a revocation check: like any JWT, a token stays valid to its `exp`.
  if (response.status === 400 || response.status === 401) throw unauthorized();
  if (response.status < 200 || response.status > 299) throw new DomainError("unavailable", "auth.unavailable", "Sign-in is briefly unavailable. Please try again.");
  const body = JSON.parse(response.body.toString("utf8")) as { UserAttributes?: Array<{ Name: string; Value?: string }> };
  return Object.fromEntries((body.UserAttributes ?? []).map((a) => [a.Name, a.Value ?? ""]));
}

const profiles = new Map<string, Actor>();
const MAX_PROFILES = 10_000;

async function profile(token: string, payload: JwtPayload): Promise<Actor> {
  const sub = payload.sub as string;
  const known = profiles.get(sub);
  if (known) return known;
  const attributes = await getUserAttributes(token);
  const email = attributes.email || undefined;
  const actor: Actor = { userId: sub, name: attributes.name || email || "Unknown user", ...(email ? { email } : {}) };
  await User.remember(actor);
  // Someone added to a class by email before they ever signed in joins it now.
  await Membership.acceptInvitations(actor);
  if (profiles.size >= MAX_PROFILES) profiles.clear();
  profiles.set(sub, actor);
  return actor;
}

/**
 * Tokens already verified in this process, until they expire: a client sends the same
 * token with every poll, and an RS256 check per request would be most of the API's own
 * cost. Only the exact token string that passed verification is trusted, and only to its
 * `exp`.
 */
const verified = new Map<string, { actor: Actor; expiresAt: number }>();
const MAX_VERIFIED = 20_000;

/** Verifies the bearer token and returns who is calling; throws `auth.unauthorized` otherwise. */
export async function authenticate(authorization: string | null | undefined): Promise<Actor> {
  if (!authorization) throw unauthorized();
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
  const token = match?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH) throw unauthorized();
  const known = verified.get(token);
  if (known && known.expiresAt > Date.now()) return known.actor;
  let payload: JwtPayload;
  try {
    payload = await auth().verifier.verify(token);
  } catch {
    throw unauthorized();
  }
  const actor = await profile(token, payload);
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(token, { actor, expiresAt: (payload.exp as number) * 1000 });
  return actor;
}
