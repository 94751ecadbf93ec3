/**
 * Token attacks (threat T1): every forged, stale or misdirected token is refused with the
 * same 401 body over REST and tRPC, nothing is stored, and a flood of tokens with unknown
 * key ids does not make the API download the pool's JWKS for each one.
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { call, forgeToken, makeClass, newUser, stack, type TestClass, type TestUser } from "../support.ts";
import { inPool, trpc } from "./http.ts";
import { domainSnapshot, scanTable } from "./table.ts";

const proxy = inject("jwksProxy");
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const jwksFetches = async () => ((await (await fetch(`${proxy}/__count`)).json()) as { count: number }).count;

let home: TestClass;
let user: TestUser;

beforeAll(async () => {
  home = await makeClass(1);
  user = await newUser();
});

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: home.teacher.sub, token_use: "access", client_id: stack.pool.clientId, iss: stack.pool.issuer, iat: now, exp: now + 600, ...overrides };
}

async function publicKeyPem(): Promise<string> {
  const jwks = (await (await fetch(stack.pool.jwksUri)).json()) as { keys: Array<Record<string, string>> };
  return createPublicKey({ key: jwks.keys[0]!, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
}

function hs256(secret: string, header: Record<string, unknown> = {}) {
  const head = b64({ alg: "HS256", typ: "JWT", kid: "CognitoLocal", ...header });
  const body = b64(claims());
  return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
}

function signedByAnotherKey(kid = "CognitoLocal") {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const head = b64({ alg: "RS256", typ: "JWT", kid });
  const body = b64(claims());
  return `${head}.${body}.${sign("RSA-SHA256", Buffer.from(`${head}.${body}`), privateKey).toString("base64url")}`;
}

describe("token attacks", () => {
  it("refuses every bad token with one identical 401 over REST and tRPC and changes nothing", async () => {
    const pem = await publicKeyPem();
    const now = Math.floor(Date.now() / 1000);
    const [h, p, s] = home.teacher.token.split(".") as [string, string, string];
    const bad: Record<string, string> = {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`,
      "alg none, kid kept": `${b64({ alg: "none", typ: "JWT", kid: "CognitoLocal" })}.${b64(claims())}.`,
      "HS256 with the public key (PEM) as secret": hs256(pem),
      "HS256 with the public key (JWK) as secret": hs256(JSON.stringify(createPublicKey(pem).export({ format: "jwk" }))),
      "RS256 signed by another key, pool's kid": signedByAnotherKey(),
      expired: forgeToken({ sub: home.teacher.sub, iat: now - 7200, exp: now - 3600 }),
      "expired a second ago": forgeToken({ sub: home.teacher.sub, iat: now - 600, exp: now - 1 }),
      "not yet valid (nbf)": forgeToken({ sub: home.teacher.sub, nbf: now + 3600 }),
      "no exp": forgeToken({ sub: home.teacher.sub, exp: undefined }),
      "wrong issuer": forgeToken({ sub: home.teacher.sub, iss: "http://127.0.0.1:1/elsewhere" }),
      "issuer with a trailing slash": forgeToken({ sub: home.teacher.sub, iss: `${stack.pool.issuer}/` }),
      "wrong client id": forgeToken({ sub: home.teacher.sub, client_id: "another-client" }),
      "client id as aud instead": forgeToken({ sub: home.teacher.sub, client_id: undefined, aud: stack.pool.clientId }),
      "ID token (real, from the pool)": user.idToken,
      "ID token use forged": forgeToken({ sub: home.teacher.sub, token_use: "id" }),
      "no subject": forgeToken({ sub: "" }),
      "payload swapped under a real signature": `${h}.${b64(claims({ sub: user.sub }))}.${s}`,
      "signature stripped": `${h}.${p}.`,
      "two parts": `${h}.${p}`,
      "four parts": `${h}.${p}.${s}.${s}`,
      "jku header pointing elsewhere": forgeToken({ sub: home.teacher.sub }, { kid: "evil", jku: `${proxy}/evil/.well-known/jwks.json` }),
      "kid path traversal": forgeToken({ sub: home.teacher.sub }, { kid: "../../../../etc/passwd" }),
      "header not JSON": `${b64("{not json")}.${p}.${s}`,
      garbage: "not-a-jwt",
      "over the token size limit (8 KiB)": forgeToken({ sub: home.teacher.sub, padding: "x".repeat(7_000) }),
    };
    const before = domainSnapshot(await scanTable());
    const messages = new Set<string>();
    for (const [label, token] of Object.entries(bad)) {
      const rest = await call("POST", "/chat/messages", { token, body: { class_id: home.class_id, content: `by ${label}` } });
      expect(rest.status, label).toBe(401);
      expect(rest.body, label).toEqual({ error: { code: "auth.unauthorized", message: expect.any(String) } });
      messages.add(rest.body.error.message);
      const list = await call("GET", `/chat/messages/${home.class_id}`, { token });
      expect(list.status, label).toBe(401);
      const send = await trpc("mutation", "chat.send", { class_id: home.class_id, content: `by ${label}` }, { token });
      expect(send.status, label).toBe(401);
      expect(send.body.error.json.data.appCode, label).toBe("auth.unauthorized");
      messages.add(send.body.error.json.message);
      const mine = await trpc("query", "class.mine", undefined, { token });
      expect(mine.status, label).toBe(401);
    }
    // Malformed Authorization headers.
    for (const header of [`Basic ${home.teacher.token}`, `bearer ${home.teacher.token}`, `Bearer  ${home.teacher.token}`, "Bearer", "Bearer ", `Bearer ${home.teacher.token}, Bearer x`]) {
      const reply = await call("GET", "/classes", { headers: { authorization: header } });
      expect(reply.status, header.slice(0, 20)).toBe(401);
      messages.add(reply.body.error.message);
    }
    // A token in the query string is not a credential.
    expect((await call("GET", `/classes?access_token=${home.teacher.token}`)).status).toBe(401);
    // One message for every failure: nothing tells an attacker which check failed.
    expect([...messages]).toHaveLength(1);
    expect(domainSnapshot(await scanTable())).toEqual(before);
    // The proper token still works.
    expect((await call("GET", `/chat/messages/${home.class_id}`, { token: home.teacher.token })).status).toBe(200);
  });

  it("refuses a header beyond the server's limit before doing any work", async () => {
    const started = Date.now();
    const huge = await call("GET", "/classes", { token: forgeToken({ sub: home.teacher.sub, padding: "x".repeat(40_000) }) });
    expect(huge.status).toBe(431);
    const long = await call("GET", "/classes", { token: "a".repeat(12_000) });
    expect(long.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("does not fetch the JWKS per token when flooded with unknown key ids", async () => {
    // Warm: a valid token has been verified, so the key set is cached.
    expect((await call("GET", "/classes", { token: user.token })).status).toBe(200);
    const before = await jwksFetches();
    expect(before, "the API fetches its keys through the counting proxy").toBeGreaterThanOrEqual(1);
    const flood = Array.from({ length: 300 }, () => forgeToken({ sub: randomUUID() }, { kid: randomUUID() }));
    const replies = await inPool(flood, 16, (token, i) =>
      i % 2 ? call("GET", "/classes", { token }) : trpc("query", "class.mine", undefined, { token }),
    );
    expect(replies.map((r) => r.status)).toEqual(flood.map(() => 401));
    const fetched = (await jwksFetches()) - before;
    // aws-jwt-verify refetches for an unknown kid at most once per 10 s (penalty box).
    expect(fetched).toBeLessThanOrEqual(1);
    // Valid tokens keep working during and after the flood.
    expect((await call("GET", "/classes", { token: user.token })).status).toBe(200);
  });

  it("keeps verifying with the cached keys while the JWKS endpoint is down, and fails closed for unknown keys", async () => {
    expect((await call("GET", "/classes", { token: user.token })).status).toBe(200);
    await fetch(`${proxy}/__down`, { method: "POST" });
    try {
      expect((await call("GET", "/classes", { token: user.token })).status).toBe(200);
      const started = Date.now();
      const unknown = await call("GET", "/classes", { token: forgeToken({ sub: user.sub }, { kid: randomUUID() }) });
      expect(unknown.status).toBe(401);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await fetch(`${proxy}/__up`, { method: "POST" });
    }
  });
});
