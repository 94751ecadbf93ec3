/**
 * Authentication: every request but health and the API description carries a Cognito
 * access token (`Authorization: Bearer <jwt>`), verified with aws-jwt-verify (verifier.ts).
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
 * HTTPS call (verifier.ts's `call`), which keeps the Cognito SDK out of the Lambda bundle.
 */
import type { Actor } from "@classroom/core/actor";
import { DomainError } from "@classroom/core/errors";
import * as User from "@classroom/core/user";
import * as Membership from "@classroom/core/membership";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import { KeysUnavailable, auth, call, haveKeys } from "./verifier.ts";

export const unauthorized = (message = "Sign in to continue: the access token is missing, invalid or expired.") =>
  new DomainError("unauthorized", "auth.unauthorized", message);

const signInUnavailable = () => new DomainError("unavailable", "auth.unavailable", "Sign-in is briefly unavailable. Please try again.");

const MAX_TOKEN_LENGTH = 8192;

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
    throw signInUnavailable();
  }
  // Cognito refuses a token it has revoked (global sign-out). This runs once per user per
  // process, so it is not a revocation check: like any JWT, a token stays valid to its `exp`.
  if (response.status === 400 || response.status === 401) throw unauthorized();
  if (response.status < 200 || response.status > 299) throw signInUnavailable();
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
  // Remembered for adding members by email; and someone added to a class by email before they
  // ever signed in joins it now. Independent writes, made together.
  await Promise.all([User.remember(actor), Membership.acceptInvitations(actor)]);
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
  } catch (error) {
    // No key set yet and none downloading: the pool is unreachable and no token can be checked,
    // so a retry may succeed; not a 401. With keys cached, an unknown key id is refused as before.
    if (error instanceof KeysUnavailable && !haveKeys()) throw signInUnavailable();
    throw unauthorized();
  }
  const actor = await profile(token, payload);
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(token, { actor, expiresAt: (payload.exp as number) * 1000 });
  return actor;
}
