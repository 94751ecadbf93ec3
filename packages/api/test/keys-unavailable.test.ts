/**
 * When the pool's keys cannot be downloaded, a token cannot be checked either way: the caller is
 * told sign-in is briefly unavailable (503), not that their token is wrong (401), and the next
 * request tries the download again. Real HTTP against a small JWKS server that fails on purpose.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
let answer: "fail" | "keys" = "fail";
const server = createServer((_request, response) => {
  if (answer === "fail") return response.writeHead(503).end("down");
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
});

const issuer = "https://cognito-idp.local.example/pool";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "RS256", kid: "k1", typ: "JWT" })}.${b64({ iss: issuer, sub: "u1", client_id: "client", token_use: "access", exp: now + 600, iat: now })}`;
  return `${body}.${sign("sha256", Buffer.from(body), privateKey).toString("base64url")}`;
}

let authenticate: typeof import("../src/auth.ts").authenticate;

beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  Object.assign(process.env, {
    AUTH_ISSUER: issuer,
    AUTH_CLIENT_ID: "client",
    AUTH_JWKS_URI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
  });
  ({ authenticate } = await import("../src/auth.ts"));
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const failure = (promise: Promise<unknown>) => promise.then(() => "accepted", (error: { code?: string }) => error.code);

describe("the pool's keys unavailable", () => {
  it("answers auth.unavailable while no key set was ever downloaded, then checks tokens again once it works", async () => {
    expect(await failure(authenticate(`Bearer ${token()}`))).toBe("auth.unavailable");
    answer = "keys";
    // The next request downloads the keys and checks the token for real: a forged signature is
    // refused, which takes the keys.
    const forged = token().replace(/\.[^.]+$/, `.${Buffer.from("x".repeat(256)).toString("base64url")}`);
    expect(await failure(authenticate(`Bearer ${forged}`))).toBe("auth.unauthorized");
  });

  it("refuses a token whose key id the cached keys lack, even when refreshing them fails", async () => {
    answer = "fail";
    const stranger = token().replace(/^[^.]+/, b64({ alg: "RS256", kid: "k2", typ: "JWT" }));
    expect(await failure(authenticate(`Bearer ${stranger}`))).toBe("auth.unauthorized");
  });
});
