/**
 * Files over real HTTP with real tokens: the API hands out presigned requests for the stack's
 * local S3, and the test talks to S3 exactly as a browser does (a multipart form POST of the
 * fields and the file; a GET of the download link). Every REST answer is checked against the
 * OpenAPI document by `call`.
 */
import * as File from "@classroom/core/file";
import { describe, expect, it } from "vitest";
import { call, client, makeClass, type TestUser } from "./support.ts";

const PDF = "application/pdf";

async function sendForm(upload: { url: string; fields: Record<string, string> }, bytes: Buffer, contentType = upload.fields["Content-Type"]!) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, name === "Content-Type" ? contentType : value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "from-disk.bin");
  const response = await fetch(upload.url, { method: "POST", body: form });
  await response.arrayBuffer();
  return response.status;
}

async function uploadFile(who: TestUser, body: { class_id: string; purpose: string; filename: string; content_type?: string }, bytes: Buffer) {
  const created = await call("POST", "/files", { token: who.token, body: { content_type: PDF, size: bytes.length, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await sendForm(created.body.upload, bytes)).toBe(204);
  const completed = await call("POST", `/files/${created.body.file_id}/complete`, { token: who.token });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  return completed.body as { file_id: string; size: number };
}

describe("files over REST", () => {
  it("uploads in two steps and downloads the same bytes through the presigned GET", async () => {
    const klass = await makeClass(1);
    const bytes = Buffer.from(`%PDF-1.4\n${"handout ".repeat(500)}\n%%EOF\n`);
    const created = await call("POST", "/files", {
      token: klass.teacher.token,
      body: { class_id: klass.class_id, purpose: "material", filename: "Week 1/handout\u202Efdp.pdf", content_type: PDF, size: bytes.length },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ file_id: expect.any(String), upload: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/classroom-files$/), fields: expect.any(Object) }, expires_at: expect.any(String) });
    const { file_id } = created.body;

    // Not uploaded yet.
    const early = await call("POST", `/files/${file_id}/complete`, { token: klass.teacher.token });
    expect([early.status, early.body.error.code]).toEqual([409, "file.not_uploaded"]);
    expect((await call("GET", `/files/${file_id}`, { token: klass.teacher.token })).status).toBe(409);

    expect(await sendForm(created.body.upload, bytes)).toBe(204);
    const completed = await call("POST", `/files/${file_id}/complete`, { token: klass.teacher.token });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ file_id, status: "ready", filename: "handoutfdp.pdf", size: bytes.length, content_type: PDF });
    const again = await call("POST", `/files/${file_id}/complete`, { token: klass.teacher.token });
    expect(again.body).toEqual(completed.body);

    const link = await call("GET", `/files/${file_id}`, { token: klass.students[0]!.token });
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ filename: "handoutfdp.pdf", content_type: PDF, size: bytes.length });
    // The link is a browser's: no token, cross-origin from the web app.
    const download = await fetch(link.body.url, { headers: { origin: "http://127.0.0.1:5173" } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="handoutfdp.pdf"; filename*=UTF-8''handoutfdp.pdf`);
    expect(download.headers.get("access-control-allow-origin")).toBeTruthy();
  });

  it("lets the web app's origin post the upload form (CORS preflight)", async () => {
    const klass = await makeClass(0);
    const created = await call("POST", "/files", { token: klass.teacher.token, body: { class_id: klass.class_id, purpose: "post", filename: "a.png", content_type: "image/png", size: 4 } });
    const preflight = await fetch(created.body.upload.url, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("refuses bad declarations with 400 and different uploads with 422, keeping nothing", async () => {
    const klass = await makeClass(1);
    const alex = klass.students[0]!;
    const base = { class_id: klass.class_id, purpose: "submission", filename: "work.pdf", content_type: PDF, size: 10 };
    for (const bad of [{ content_type: "text/html" }, { size: 25 * 1024 * 1024 + 1 }, { size: 0 }, { filename: "/" }]) {
      const reply = await call("POST", "/files", { token: alex.token, body: { ...base, ...bad } });
      expect([reply.status, reply.body.error.code], JSON.stringify(bad)).toEqual([400, "input.invalid"]);
    }
    const created = await call("POST", "/files", { token: alex.token, body: base });
    expect(await sendForm(created.body.upload, Buffer.alloc(11, 1))).toBe(204);
    const refused = await call("POST", `/files/${created.body.file_id}/complete`, { token: alex.token });
    expect([refused.status, refused.body.error.code]).toEqual([422, "file.mismatch"]);
    expect(await File.requireAttachable([created.body.file_id], { class_id: klass.class_id, purpose: "submission", actor: { userId: alex.sub, name: alex.name } }).catch((e: { code: string }) => e.code)).toBe("file.not_ready");
    // Teachers do not upload submissions; students do not upload materials.
    expect((await call("POST", "/files", { token: klass.teacher.token, body: base })).status).toBe(403);
    expect((await call("POST", "/files", { token: alex.token, body: { ...base, purpose: "material" } })).status).toBe(403);
  });

  it("shows a student's work to them and the teachers only, and nothing to other classes", async () => {
    const klass = await makeClass(2);
    const other = await makeClass(1);
    const [alex, sam] = klass.students as [TestUser, TestUser];
    const work = await uploadFile(alex, { class_id: klass.class_id, purpose: "submission", filename: "mine.pdf" }, Buffer.from("%PDF mine"));
    expect((await call("GET", `/files/${work.file_id}`, { token: alex.token })).status).toBe(200);
    expect((await call("GET", `/files/${work.file_id}`, { token: klass.teacher.token })).status).toBe(200);
    const hidden = await call("GET", `/files/${work.file_id}`, { token: sam.token });
    const unknown = await call("GET", "/files/01UNKNOWNFILE000000000000", { token: sam.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(unknown.body);
    for (const stranger of [other.teacher, other.students[0]!]) {
      expect((await call("GET", `/files/${work.file_id}`, { token: stranger.token })).body).toEqual(unknown.body);
      expect((await call("POST", `/files/${work.file_id}/complete`, { token: stranger.token })).status).toBe(404);
    }
  });

  it("mirrors the operations as tRPC procedures", async () => {
    const klass = await makeClass(1);
    const teacher = client(klass.teacher);
    const bytes = Buffer.from("plain notes");
    const ticket = await teacher.file.create.mutate({ class_id: klass.class_id, purpose: "post", filename: "notes.txt", content_type: "text/plain", size: bytes.length });
    expect(await sendForm(ticket.upload, bytes)).toBe(204);
    expect((await teacher.file.complete.mutate({ file_id: ticket.file_id })).status).toBe("ready");
    const link = await client(klass.students[0]!).file.download.query({ file_id: ticket.file_id });
    expect(await (await fetch(link.url)).text()).toBe("plain notes");
  });

  it("stops serving a removed post's files at once and deletes them from the bucket afterwards", async () => {
    const klass = await makeClass(1);
    const teacher = { userId: klass.teacher.sub, name: klass.teacher.name };
    const file = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "post", filename: "slides.pdf" }, Buffer.from("%PDF slides"));
    const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Slides attached" } });
    await File.attach([file.file_id], { class_id: klass.class_id, purpose: "post", actor: teacher, parent: { type: "post", id: post.body.post_id } });
    const link = await call("GET", `/files/${file.file_id}`, { token: klass.students[0]!.token });
    expect(link.status).toBe(200);

    expect((await call("DELETE", `/posts/${post.body.post_id}`, { token: klass.teacher.token })).status).toBe(200);
    expect((await call("GET", `/files/${file.file_id}`, { token: klass.students[0]!.token })).status).toBe(404);
    // The table's stream (the local poller feeding the stream handler) removes the object.
    const deadline = Date.now() + 20_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await fetch(link.body.url)).status) === 200) await new Promise((r) => setTimeout(r, 250));
    expect(status).toBe(404);
  });
});
