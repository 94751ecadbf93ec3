import { describe, expect, it, vi } from "vitest";
import { SessionStore } from "./session.ts";

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${encode({ alg: "RS256" })}.${encode(claims)}.signature`;
}

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const seconds = (ms: number) => Math.floor(ms / 1000);

function cognitoAnswer(expiresAtMs: number, withRefresh = true) {
  return {
    AuthenticationResult: {
      AccessToken: jwt({ sub: "user-1", exp: seconds(expiresAtMs), token_use: "access", n: Math.random() }),
      IdToken: jwt({ sub: "user-1", email: "alex@classroom.test", name: "Alex Kim" }),
      ...(withRefresh ? { RefreshToken: "refresh-1" } : {}),
      ExpiresIn: 3600,
    },
  };
}

function fakeCognito(answers: Array<{ status: number; body: unknown }>) {
  const calls: Array<{ AuthFlow: string }> = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(JSON.parse(String(init?.body)) as { AuthFlow: string });
    const answer = answers.shift();
    if (!answer) throw new TypeError("Failed to fetch");
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe("the session", () => {
  it("signs in, remembers the session, and reads who I am from the id token", async () => {
    const cognito = fakeCognito([{ status: 200, body: cognitoAnswer(NOW + 3600_000) }]);
    const store = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage, now: () => NOW });
    await store.signIn(" alex@classroom.test ", "pw");
    expect(store.getState().session?.user).toEqual({ userId: "user-1", email: "alex@classroom.test", name: "Alex Kim" });
    expect(cognito.calls[0]).toMatchObject({ AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alex@classroom.test", PASSWORD: "pw" } });

    const reloaded = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage, now: () => NOW });
    expect(reloaded.getState().session?.user.userId).toBe("user-1");
    reloaded.signOut();
    expect(localStorage.getItem("classroom.session")).toBeNull();
  });

  it("says in words when the password is wrong", async () => {
    const cognito = fakeCognito([{ status: 400, body: { __type: "NotAuthorizedException", message: "Incorrect username or password." } }]);
    const store = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage });
    await expect(store.signIn("alex@classroom.test", "nope")).rejects.toThrow("don't match");
    expect(store.getState().session).toBeNull();
  });

  it("refreshes an expiring token once for concurrent calls, keeping the refresh token", async () => {
    let now = NOW;
    const cognito = fakeCognito([
      { status: 200, body: cognitoAnswer(NOW + 120_000) },
      { status: 200, body: cognitoAnswer(NOW + 3_600_000, false) },
    ]);
    const store = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage, now: () => now });
    await store.signIn("alex@classroom.test", "pw");
    const first = await store.accessToken();
    now += 90_000; // within a minute of expiry
    const [a, b] = await Promise.all([store.accessToken(), store.accessToken()]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(cognito.calls.map((c) => c.AuthFlow)).toEqual(["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]);
    expect(store.getState().session?.tokens.refreshToken).toBe("refresh-1");
  });

  it("refreshes after the API rejects the token, and ends the session when the refresh is refused", async () => {
    const cognito = fakeCognito([
      { status: 200, body: cognitoAnswer(NOW + 3_600_000) },
      { status: 400, body: { __type: "NotAuthorizedException", message: "Refresh Token has expired" } },
    ]);
    const store = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage, now: () => NOW });
    await store.signIn("alex@classroom.test", "pw");
    store.rejectAccessToken(null);
    expect(await store.accessToken()).toBeNull();
    expect(store.getState()).toMatchObject({ session: null, notice: "Your session has ended. Please sign in again." });
  });

  it("keeps the session when the refresh fails for lack of a network", async () => {
    const cognito = fakeCognito([{ status: 200, body: cognitoAnswer(NOW + 3_600_000) }]);
    const store = new SessionStore({ cognito: { endpoint: "http://cognito", clientId: "web", fetch: cognito.fetch }, storage: localStorage, now: () => NOW });
    await store.signIn("alex@classroom.test", "pw");
    store.rejectAccessToken(null);
    await expect(store.accessToken()).rejects.toThrow("can't reach");
    expect(store.getState().session).not.toBeNull();
  });
});
