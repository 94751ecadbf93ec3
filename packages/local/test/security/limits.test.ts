/**
 * Resource limits (threat T5): oversized bodies, headers, URLs, page sizes, strings and tRPC
 * batches are refused cheaply with a 4xx and store nothing; a write flood from one user gets
 * 429 (with Retry-After) while the other people in the class are served as usual.
 */
import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeClass, stack, type TestClass } from "../support.ts";
import { expectRestError, inPool, trpc, trpcErrorProblem } from "./http.ts";
import { byEntity, domainSnapshot, invariantViolations, scanTable } from "./table.ts";

let home: TestClass;

beforeAll(async () => {
  home = await makeClass(2);
});

/** A POST whose body is streamed in chunks with no Content-Length (so only the server's counting can stop it). */
function chunkedPost(path: string, token: string, chunks: number, chunkSize: number): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.apiUrl);
    const req = httpRequest(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? resolve({ status: -1, ms: Date.now() - started }) : reject(error)));
    const chunk = "x".repeat(chunkSize);
    req.write(`{"class_id":"${home.class_id}","content":"`);
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end('"}');
    };
    pump();
  });
}

/** A GET with the Host header set as given (node:http sends it as it is). */
function withHost(path: string, host: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, stack.apiUrl), { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("odd Host headers", () => {
  it("never change the route served nor cause a 5xx: the server's own address stands in for a Host that is not a host", async () => {
    const token = home.teacher.token;
    for (const host of ["user@localhost", "localhost/trpc", "localhost?x=1", "localhost#x", "a b", "[::1", ""]) {
      expect(await withHost("/health", host, token), host).toBe(200);
      expect(await withHost("/trpc/health", host, token), host).toBe(200);
      expect(await withHost(`/classes/${home.class_id}`, host, token), host).toBe(200);
    }
  });
});

describe("resource limits", () => {
  it("refuses oversized bodies cheaply over REST and tRPC, with or without Content-Length, and stores nothing", async () => {
    const before = domainSnapshot(await scanTable(), new Set([home.class_id]));
    const big = JSON.stringify({ class_id: home.class_id, content: "x".repeat(70_000) });
    const started = Date.now();
    expectRestError(await call("POST", "/chat/messages", { token: home.teacher.token, rawBody: big }), 413, "request.payload_too_large");
    const viaTrpc = await call("POST", "/trpc/chat.send", { token: home.teacher.token, rawBody: JSON.stringify({ json: JSON.parse(big) }) });
    expect(viaTrpc.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(2000);
    // 5 MB streamed without a length: cut off after 64 KiB, not buffered whole.
    const streamed = await chunkedPost("/chat/messages", home.teacher.token, 80, 64 * 1024);
    expect([413, -1]).toContain(streamed.status);
    expect(streamed.ms).toBeLessThan(5000);
    expect(domainSnapshot(await scanTable(), new Set([home.class_id]))).toEqual(before);
  });

  it("refuses oversized URLs and deeply nested JSON with a 4xx", async () => {
    const url = await call("GET", `/chat/messages/${home.class_id}?lastEvaluatedKey=${"a".repeat(20_000)}`, { token: home.teacher.token });
    expect(url.status).toBeGreaterThanOrEqual(400);
    expect(url.status).toBeLessThan(500);
    const nested = `${"[".repeat(30_000)}${"]".repeat(30_000)}`;
    expectRestError(await call("POST", "/chat/messages", { token: home.teacher.token, rawBody: nested }), 400);
    const viaTrpc = await call("POST", "/trpc/chat.send", { token: home.teacher.token, rawBody: nested });
    expect(viaTrpc.status).toBe(400);
    expect(trpcErrorProblem(viaTrpc)).toBeUndefined();
  });

  it("refuses page sizes and string lengths beyond the documented limits", async () => {
    const t = home.teacher.token;
    for (const limit of ["101", "1000000", "0", "-1", "1.5", "abc", "1e3"]) {
      expectRestError(await call("GET", `/chat/messages/${home.class_id}?limit=${limit}`, { token: t }), 400, "input.invalid");
    }
    expect((await call("GET", `/chat/messages/${home.class_id}?limit=100`, { token: t })).status).toBe(200);
    expectRestError(await call("GET", `/classes/${home.class_id}/posts?limit=51`, { token: t }), 400);
    expectRestError(await call("GET", `/classes/${home.class_id}/audit?limit=101`, { token: t }), 400);
    expectRestError(await call("GET", `/classes/${home.class_id}/stats?days=367`, { token: t }), 400);
    expect((await trpc("query", "chat.list", { class_id: home.class_id, limit: 101 }, { token: t })).status).toBe(400);
    expect((await trpc("query", "chat.poll", { class_id: home.class_id, cursor: "x".repeat(513) }, { token: t })).status).toBe(400);

    const before = domainSnapshot(await scanTable(), new Set([home.class_id]));
    expectRestError(await call("POST", "/chat/messages", { token: t, body: { class_id: home.class_id, content: "x".repeat(2001) } }), 400);
    expectRestError(await call("POST", "/chat/messages", { token: t, body: { class_id: home.class_id, content: "   " } }), 400);
    expectRestError(await call("POST", `/classes/${home.class_id}/posts`, { token: t, body: { content: "x".repeat(5001) } }), 400);
    expectRestError(await call("POST", "/classes", { token: t, body: { name: "x".repeat(121) } }), 400);
    expectRestError(await call("POST", `/classes/${home.class_id}/members`, { token: t, body: { email: `${"a".repeat(250)}@b.co`, role: "student" } }), 400);
    expect(domainSnapshot(await scanTable(), new Set([home.class_id]))).toEqual(before);
    expect((await call("POST", "/chat/messages", { token: t, body: { class_id: home.class_id, content: "x".repeat(2000) } })).status).toBe(201);
  });

  it("refuses a tRPC batch of many calls in one request before doing the work", async () => {
    const t = home.teacher.token;
    const paths = Array.from({ length: 120 }, () => "class.byId").join(",");
    const inputs = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [i, { json: { class_id: home.class_id } }]));
    const started = Date.now();
    const reply = await call("GET", `/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`, { token: t });
    const ms = Date.now() - started;
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(400);
    expect(ms).toBeLessThan(1000);
    // An ordinary batch (what the web app and the client send) still works.
    const few = await call("GET", `/trpc/class.mine,class.byId?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { json: { class_id: home.class_id } } }))}`, { token: t });
    expect(few.status).toBe(200);
  });

  it("answers a write flood from one user with 429 while the others in the class are unaffected", async () => {
    const [flooder, other] = home.students as [typeof home.students[0], typeof home.students[0]];
    const post = await call("POST", `/classes/${home.class_id}/posts`, { token: home.teacher.token, body: { content: "flood target" } });
    const mine = (items: Awaited<ReturnType<typeof scanTable>>) =>
      [...byEntity(items, "message"), ...byEntity(items, "post")].filter((item) => item.author_id === flooder.sub).length;
    const before = mine(await scanTable());
    // Chat messages (the class's hot path, shared with everyone else) and posts.
    const flood = Array.from({ length: 150 }, (_, i) => i);
    const othersReplies: number[] = [];
    const floodReplies = await inPool(flood, 12, async (i) => {
      if (i % 15 === 0) {
        const mine = await call("POST", "/chat/messages", { token: other.token, body: { class_id: home.class_id, content: `calm ${i}` } });
        const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: other.token, body: { content: `calm ${i}` } });
        othersReplies.push(mine.status, comment.status);
      }
      if (i % 4 === 0) return trpc("mutation", "chat.send", { class_id: home.class_id, content: `flood ${i}` }, { token: flooder.token });
      if (i % 4 === 1) return trpc("mutation", "post.create", { class_id: home.class_id, content: `flood ${i}` }, { token: flooder.token });
      return call("POST", "/chat/messages", { token: flooder.token, body: { class_id: home.class_id, content: `flood ${i}` } });
    });
    const accepted = floodReplies.filter((r) => r.status === 201 || r.status === 200).length;
    const limited = floodReplies.filter((r) => r.status === 429);
    expect(accepted + limited.length).toBe(flood.length);
    expect(limited.length).toBeGreaterThan(0);
    // 60 writes per 10 s window; a flood may straddle two windows.
    expect(accepted).toBeLessThanOrEqual(120);
    for (const reply of limited) {
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      if (reply.body.error?.json) expect(reply.body.error.json.data.appCode).toBe("rate.limited");
      else expect(reply.body.error.code).toBe("rate.limited");
    }
    expect(othersReplies).toEqual(Array.from({ length: 20 }, () => 201));
    const items = await scanTable();
    expect(mine(items) - before).toBe(accepted);
    expect(invariantViolations(items)).toEqual([]);
  });
});
