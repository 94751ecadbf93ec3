import { describe, expect, it } from "vitest";
import { call, forgeToken, makeClass, newUser, stack } from "./support.ts";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("authentication", () => {
  it("refuses every bad token with 401, the same body, and changes nothing", async () => {
    const { class_id, teacher } = await makeClass(0);
    const now = Math.floor(Date.now() / 1000);
    const user = await newUser();
    const badTokens: Record<string, string | undefined> = {
      missing: undefined,
      garbage: "not-a-jwt",
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: teacher.sub, token_use: "access", client_id: stack.pool.clientId, iss: stack.pool.issuer, exp: now + 600 })}.`,
      expired: forgeToken({ sub: teacher.sub, iat: now - 7200, exp: now - 3600 }),
      "not yet valid": forgeToken({ sub: teacher.sub, nbf: now + 3600 }),
      "wrong issuer": forgeToken({ sub: teacher.sub, iss: "http://127.0.0.1:1/elsewhere" }),
      "wrong client": forgeToken({ sub: teacher.sub, client_id: "another-client" }),
      "id token": user.idToken,
      "tampered payload": (() => {
        const [h, , s] = teacher.token.split(".");
        return `${h}.${b64({ sub: user.sub, token_use: "access", client_id: stack.pool.clientId, iss: stack.pool.issuer, exp: now + 600 })}.${s}`;
      })(),
      "unknown key id": forgeToken({ sub: teacher.sub }, { kid: "someone-elses-key" }),
      "over the size limit": forgeToken({ sub: teacher.sub, padding: "x".repeat(7_000) }),
    };
    for (const [label, token] of Object.entries(badTokens)) {
      const reply = await call("POST", "/chat/messages", { ...(token ? { token } : {}), body: { class_id, content: `by ${label}` } });
      expect(reply.status, label).toBe(401);
      expect(reply.body, label).toEqual({ error: { code: "auth.unauthorized", message: expect.any(String) } });
    }
    const header = await call("GET", "/classes", { headers: { authorization: `Basic ${teacher.token}` } });
    expect(header.status).toBe(401);
    // A header beyond the server's limit is refused before any work is done.
    const huge = await call("GET", "/classes", { token: forgeToken({ sub: teacher.sub, padding: "x".repeat(40_000) }) });
    expect(huge.status).toBe(431);
    const listed = await call("GET", `/chat/messages/${class_id}`, { token: teacher.token });
    expect(listed.body.messages).toEqual([]);
  });

  it("accepts a correctly signed access token for this client", async () => {
    const user = await newUser();
    expect((await call("GET", "/classes", { token: user.token })).status).toBe(200);
  });

  it("answers 401 before looking at the input", async () => {
    const reply = await call("POST", "/chat/messages", { body: { nonsense: true } });
    expect(reply.status).toBe(401);
  });

  it("keeps health and the API description open", async () => {
    expect((await call("GET", "/health")).body).toEqual({ ok: true });
    const doc = await call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    const docs = await call("GET", "/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(docs.body).toContain('"url":"openapi.json"');
  });

  it("refuses tRPC calls without a valid token", async () => {
    const reply = await call("GET", `/trpc/class.mine`);
    expect(reply.status).toBe(401);
    expect(reply.body.error.json.data.appCode).toBe("auth.unauthorized");
  });
});
