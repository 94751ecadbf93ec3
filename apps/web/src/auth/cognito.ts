/**
 * Sign-in against Cognito's own API, straight from the browser: `InitiateAuth` with
 * USER_PASSWORD_AUTH, and REFRESH_TOKEN_AUTH to renew the access token. The same two calls
 * work against AWS (`https://cognito-idp.<region>.amazonaws.com/`) and the local pool.
 */
export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
}

export type SignInFailure = "credentials" | "network" | "challenge" | "other";

export class SignInError extends Error {
  override readonly name = "SignInError";
  readonly kind: SignInFailure;
  constructor(kind: SignInFailure, message: string) {
    super(message);
    this.kind = kind;
  }
}

interface AuthenticationResult {
  AccessToken?: string;
  IdToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

export interface CognitoTarget {
  endpoint: string;
  clientId: string;
  fetch?: typeof fetch;
}

async function initiateAuth(target: CognitoTarget, body: Record<string, unknown>): Promise<AuthenticationResult> {
  const doFetch = target.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(`${target.endpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({ ClientId: target.clientId, ...body }),
    });
  } catch {
    throw new SignInError("network", "We can't reach the sign-in service. Check your connection and try again.");
  }
  const payload = (await response.json().catch(() => ({}))) as {
    __type?: string;
    message?: string;
    ChallengeName?: string;
    AuthenticationResult?: AuthenticationResult;
  };
  if (!response.ok) {
    const type = (payload.__type ?? "").split("#").pop();
    // AWS answers NotAuthorizedException for a wrong password; cognito-local says InvalidPasswordException.
    if (type === "NotAuthorizedException" || type === "UserNotFoundException" || type === "InvalidPasswordException") {
      throw new SignInError("credentials", "That email and password don't match. Check them and try again.");
    }
    if (type === "UserNotConfirmedException" || type === "PasswordResetRequiredException") {
      throw new SignInError("challenge", "This account isn't ready to sign in yet. Ask your school's administrator for help.");
    }
    if (type === "TooManyRequestsException" || type === "LimitExceededException") {
      throw new SignInError("other", "Too many sign-in attempts. Wait a minute and try again.");
    }
    throw new SignInError("other", "Sign-in isn't working right now. Please try again in a moment.");
  }
  if (payload.ChallengeName || !payload.AuthenticationResult) {
    throw new SignInError("challenge", "This account needs extra steps to sign in. Ask your school's administrator for help.");
  }
  return payload.AuthenticationResult;
}

function expiresAt(result: AuthenticationResult, accessToken: string, now: number): number {
  const exp = decodeJwt(accessToken).exp;
  if (typeof exp === "number") return exp * 1000;
  return now + (result.ExpiresIn ?? 3600) * 1000;
}

export async function signInWithPassword(target: CognitoTarget, email: string, password: string, now = Date.now()): Promise<Tokens> {
  const result = await initiateAuth(target, {
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (!result.AccessToken || !result.IdToken || !result.RefreshToken) {
    throw new SignInError("other", "Sign-in isn't working right now. Please try again in a moment.");
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
    expiresAt: expiresAt(result, result.AccessToken, now),
  };
}

/** Renews the access and id tokens; Cognito keeps the refresh token unless it sends a new one. */
export async function refreshTokens(target: CognitoTarget, refreshToken: string, now = Date.now()): Promise<Tokens> {
  const result = await initiateAuth(target, {
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  if (!result.AccessToken || !result.IdToken) {
    throw new SignInError("credentials", "Your session has ended. Please sign in again.");
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken ?? refreshToken,
    expiresAt: expiresAt(result, result.AccessToken, now),
  };
}

/** Reads a JWT's claims WITHOUT verifying it: only for display and expiry; the API verifies every token. */
export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
