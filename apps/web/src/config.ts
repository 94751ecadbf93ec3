/**
 * Where the app finds its services, read from the build environment: `pnpm dev` sets these for
 * the local stack; a deployment sets the API URL and the Cognito endpoint of its stage.
 */
export interface AppConfig {
  /** The API's base URL; tRPC is served under `${apiUrl}/trpc`. */
  apiUrl: string;
  /** Cognito's API endpoint: `https://cognito-idp.<region>.amazonaws.com` on AWS, the local pool in development. */
  cognitoEndpoint: string;
  /** The user pool's web client (password and refresh-token sign-in allowed). */
  cognitoClientId: string;
}

export function readConfig(env: Record<string, string | undefined> = import.meta.env): AppConfig {
  const missing: string[] = [];
  const read = (name: string) => {
    const value = env[name];
    if (!value) missing.push(name);
    return (value ?? "").replace(/\/$/, "");
  };
  const config = {
    apiUrl: read("VITE_API_URL"),
    cognitoEndpoint: read("VITE_COGNITO_ENDPOINT"),
    cognitoClientId: read("VITE_COGNITO_CLIENT_ID"),
  };
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} not set. Start the app with \`pnpm dev\` from the repository root.`);
  }
  return config;
}

/**
 * How often an open class page asks for new messages and activity while the class is active
 * or the person acts; it backs off to POLL_SLOW_MS while it is quiet (see @classroom/client).
 */
export { POLL_FAST_MS as POLL_INTERVAL_MS, POLL_SLOW_MS } from "@classroom/client";

/** Messages per chat page (the first load and each older page). */
export const CHAT_PAGE_SIZE = 30;

/** Attempts to send one message before it is marked as failed; every attempt uses the same message id. */
export const SEND_ATTEMPTS = 4;

/** Refresh the access token this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
