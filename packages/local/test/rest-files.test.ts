/**
 * Files over real HTTP with real tokens: the API hands out presigned requests for the stack's
 * local S3, and the test talks to S3 exactly as a browser does (a multipart form POST of the
 * fields and the file; a GET of the download link). Every REST answer is checked against the
 * OpenAPI document by `call`.
 */
import * as File from "@classroom/core/file";
import { describe, expect, it } from "vitest";
import { call, client, makeClass, type TestClass, type TestUser } from "./support.ts";

const PDF = "application/pdf";

async function sendForm(upload: { url: string; fields: Record<string, string> }, bytes: Buffer, contentType = upload.fields["Content-Type"]!) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, name === "Content-Type" ? contentType : value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "from-disk.bin");
  const response = await fetch(upload.url, { method: "POST", body: form });
  await response.arrayBuffer();
  return response.status;
}

async function uploadFile(who: TestUser, body: { class_id: string; purpose: string; filename: string; content_type?: string }, bytes: Buffer): Promise<Attachment & { file_id: string }> {
  const created = await call("POST", "/files", { token: who.token, body: { content_type: PDF, size: bytes.length, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await sendForm(created.body.upload, bytes)).toBe(204);
  const completed = await call("POST", `/files/${created.body.file_id}/complete`, { token: who.token });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  return completed.body;
}

interface Attachment {
  file_id: string;
  filename: string;
  content_type: string;
  size: number;
}

const shown = ({ file_id, filename, content_type, size }: Attachment): Attachment => ({ file_id, filename, content_type, size });

/** The bytes a presigned download link of the file serves to `who`, or the API's status when it refuses the link. */
async function downloaded(who: TestUser, file_id: string): Promise<Buffer | number> {
  const link = await call("GET", `/files/${file_id}`, { token: who.token });
  if (link.status !== 200) return link.status;
  const response = await fetch(link.body.url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
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
    const file = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "post", filename: "slides.pdf" }, Buffer.from("%PDF slides"));
    const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Slides attached", file_ids: [file.file_id] } });
    expect(post.status).toBe(201);
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

// Each test uploads several files (a form POST to S3 and a check of the object): room for a loaded machine.
describe("attachments over REST", { timeout: 90_000 }, () => {
  it("a teacher's PDF on an assignment: listed, read and downloaded byte for byte by a student", async () => {
    const klass = await makeClass(1);
    const alex = klass.students[0]!;
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)), Buffer.from("\n%%EOF\n")]);
    const pdf = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "material", filename: "Lab 2 worksheet.pdf" }, bytes);
    const created = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: "Lab 2", file_ids: [pdf.file_id] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.attachments).toEqual([shown(pdf)]);
    const { assignment_id } = created.body;

    const listed = await call("GET", `/classes/${klass.class_id}/assignments`, { token: alex.token });
    expect(listed.body.assignments.map((a: { attachments: Attachment[] }) => a.attachments)).toEqual([[shown(pdf)]]);
    const read = await call("GET", `/assignments/${assignment_id}`, { token: alex.token });
    expect(read.body.attachments).toEqual([{ file_id: pdf.file_id, filename: "Lab 2 worksheet.pdf", content_type: PDF, size: bytes.length }]);
    const got = await downloaded(alex, pdf.file_id);
    expect(Buffer.isBuffer(got) && got.equals(bytes)).toBe(true);

    // Replacing the materials: the dropped file stops downloading at once, and leaves the bucket.
    const earlier = await call("GET", `/files/${pdf.file_id}`, { token: alex.token });
    const notes = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "material", filename: "notes.txt", content_type: "text/plain" }, Buffer.from("read chapter 3"));
    const changed = await call("PATCH", `/assignments/${assignment_id}`, { token: klass.teacher.token, body: { file_ids: [notes.file_id] } });
    expect(changed.status).toBe(200);
    expect(changed.body.attachments).toEqual([shown(notes)]);
    expect(await downloaded(alex, pdf.file_id)).toBe(404);
    expect(String(await downloaded(alex, notes.file_id))).toBe("read chapter 3");
    const deadline = Date.now() + 20_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await fetch(earlier.body.url)).status) === 200) await new Promise((r) => setTimeout(r, 250));
    expect(status).toBe(404);
    // Other changes keep them.
    expect((await call("PATCH", `/assignments/${assignment_id}`, { token: klass.teacher.token, body: { title: "Lab 2 (revised)" } })).body.attachments).toEqual([shown(notes)]);
  });

  it("a student's work: the teacher downloads it, another student gets 404", async () => {
    const klass = await makeClass(2);
    const [alex, sam] = klass.students as [TestUser, TestUser];
    const assignment = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: "Essay" } });
    expect(assignment.body.attachments).toEqual([]);
    const bytes = Buffer.from("%PDF-1.4\nMy essay on the French Revolution\n%%EOF\n");
    const work = await uploadFile(alex, { class_id: klass.class_id, purpose: "submission", filename: "essay.pdf" }, bytes);
    const turnedIn = await call("POST", `/assignments/${assignment.body.assignment_id}/turn-in`, { token: alex.token, body: { text: "Attached", file_ids: [work.file_id] } });
    expect(turnedIn.status, JSON.stringify(turnedIn.body)).toBe(200);
    expect(turnedIn.body).toMatchObject({ state: "turned_in", attachments: [shown(work)] });

    const forTeacher = await call("GET", `/assignments/${assignment.body.assignment_id}/submissions`, { token: klass.teacher.token });
    const bySubject = new Map(forTeacher.body.submissions.map((s: { student_id: string; attachments: Attachment[] }) => [s.student_id, s.attachments]));
    expect(bySubject.get(alex.sub)).toEqual([shown(work)]);
    expect(bySubject.get(sam.sub)).toEqual([]);
    const got = await downloaded(klass.teacher, work.file_id);
    expect(Buffer.isBuffer(got) && got.equals(bytes)).toBe(true);
    expect(await downloaded(sam, work.file_id)).toBe(404);
    expect((await call("GET", `/assignments/${assignment.body.assignment_id}/submissions`, { token: sam.token })).body.submissions[0].attachments).toEqual([]);
  });

  it("an image on a post: shown in the stream, gone at once when the post is removed", async () => {
    const klass = await makeClass(1);
    const alex = klass.students[0]!;
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const image = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "post", filename: "diagram.png", content_type: "image/png" }, png);
    const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Today's diagram", file_ids: [image.file_id] } });
    expect(post.status).toBe(201);
    expect(post.body.attachments).toEqual([{ file_id: image.file_id, filename: "diagram.png", content_type: "image/png", size: png.length }]);
    const stream = await call("GET", `/classes/${klass.class_id}/posts`, { token: alex.token });
    expect(stream.body.posts.map((p: { attachments: Attachment[] }) => p.attachments)).toEqual([[shown(image)]]);
    expect((await call("GET", `/posts/${post.body.post_id}`, { token: alex.token })).body.attachments).toEqual([shown(image)]);
    const got = await downloaded(alex, image.file_id);
    expect(Buffer.isBuffer(got) && got.equals(png)).toBe(true);
    expect((await call("DELETE", `/posts/${post.body.post_id}`, { token: klass.teacher.token })).status).toBe(200);
    expect(await downloaded(alex, image.file_id)).toBe(404);
    expect(await downloaded(klass.teacher, image.file_id)).toBe(404);
  });

  /**
   * The bad lists of files for `who` uploading for `purpose`, each with the status and code it
   * must answer, and a good file that must still be attachable afterwards.
   */
  async function badLists(klass: TestClass, who: TestUser, stranger: TestUser, purpose: string, attachElsewhere: (file_id: string) => Promise<void>) {
    const upload = (owner: TestUser, class_id: string, filename: string) => uploadFile(owner, { class_id, purpose, filename }, Buffer.from(`%PDF ${filename}`));
    const good = await upload(who, klass.class_id, "good.pdf");
    const taken = await upload(who, klass.class_id, "taken.pdf");
    await attachElsewhere(taken.file_id);
    const strangers = await call("GET", "/classes", { token: stranger.token });
    const foreign = await upload(stranger, strangers.body.classes[0].class_id, "foreign.pdf");
    const pending = await call("POST", "/files", { token: who.token, body: { class_id: klass.class_id, purpose, filename: "later.pdf", content_type: PDF, size: 10 } });
    const cases: Array<[string, string[], number, string]> = [
      ["another class's file", [good.file_id, foreign.file_id], 404, "file.not_found"],
      ["an unknown id", [good.file_id, "01UNKNOWNFILE000000000000"], 404, "file.not_found"],
      ["an upload not completed", [good.file_id, pending.body.file_id], 409, "file.not_ready"],
      ["a file attached elsewhere", [good.file_id, taken.file_id], 409, "file.already_attached"],
      ["too many", Array.from({ length: 11 }, () => good.file_id), 400, "input.invalid"],
    ];
    return { good, taken, cases };
  }

  it("answers bad files on an assignment with their 4xx and creates or changes nothing", async () => {
    const klass = await makeClass(0);
    const other = await makeClass(0);
    const kept = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "material", filename: "kept.pdf" }, Buffer.from("%PDF kept"));
    const target = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: "Target", file_ids: [kept.file_id] } });
    expect(target.status).toBe(201);
    const { good, taken, cases } = await badLists(klass, klass.teacher, other.teacher, "material", async (file_id) => {
      const elsewhere = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: "Elsewhere", file_ids: [file_id] } });
      expect(elsewhere.status).toBe(201);
    });
    for (const [what, file_ids, status, code] of cases) {
      const create = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: `Never: ${what}`, file_ids } });
      expect([create.status, create.body.error?.code], `create with ${what}`).toEqual([status, code]);
      const update = await call("PATCH", `/assignments/${target.body.assignment_id}`, { token: klass.teacher.token, body: { title: `Changed: ${what}`, file_ids } });
      expect([update.status, update.body.error?.code], `update with ${what}`).toEqual([status, code]);
    }
    const assignments = await call("GET", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token });
    expect(assignments.body.assignments.map((a: { title: string; attachments: Attachment[] }) => [a.title, a.attachments]).sort()).toEqual([
      ["Elsewhere", [shown(taken)]],
      ["Target", [shown(kept)]],
    ]);
    expect(await downloaded(klass.teacher, kept.file_id)).toBeInstanceOf(Buffer);
    // The good file was never taken: it still attaches.
    const now = await call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title: "Now", file_ids: [good.file_id] } });
    expect(now.body.attachments).toEqual([shown(good)]);
  });

  it("answers bad files on a post with their 4xx and posts nothing", async () => {
    const klass = await makeClass(0);
    const other = await makeClass(0);
    let elsewhere = "";
    const { good, cases } = await badLists(klass, klass.teacher, other.teacher, "post", async (file_id) => {
      const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Elsewhere", file_ids: [file_id] } });
      expect(post.status).toBe(201);
      elsewhere = post.body.post_id;
    });
    for (const [what, file_ids, status, code] of cases) {
      const post = await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: `Never: ${what}`, file_ids } });
      expect([post.status, post.body.error?.code], `post with ${what}`).toEqual([status, code]);
    }
    const stream = await call("GET", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token });
    expect(stream.body.posts.map((p: { post_id: string }) => p.post_id)).toEqual([elsewhere]);
    expect((await call("POST", `/classes/${klass.class_id}/posts`, { token: klass.teacher.token, body: { content: "Now", file_ids: [good.file_id] } })).status).toBe(201);
  });

  it("answers bad files on a turn-in with their 4xx and leaves the work as it was", async () => {
    const klass = await makeClass(1);
    const other = await makeClass(1);
    const alex = klass.students[0]!;
    const create = (title: string) => call("POST", `/classes/${klass.class_id}/assignments`, { token: klass.teacher.token, body: { title } });
    const [first, target] = [await create("First"), await create("Target")];
    const { good, cases } = await badLists(klass, alex, other.students[0]!, "submission", async (file_id) => {
      const turnedIn = await call("POST", `/assignments/${first.body.assignment_id}/turn-in`, { token: alex.token, body: { file_ids: [file_id] } });
      expect(turnedIn.status).toBe(200);
    });
    for (const [what, file_ids, status, code] of cases) {
      const turnIn = await call("POST", `/assignments/${target.body.assignment_id}/turn-in`, { token: alex.token, body: { text: "Never", file_ids } });
      expect([turnIn.status, turnIn.body.error?.code], `turn-in with ${what}`).toEqual([status, code]);
    }
    const mine = await call("GET", `/assignments/${target.body.assignment_id}/submissions`, { token: alex.token });
    expect(mine.body.submissions[0]).toMatchObject({ state: "new", text: null, attachments: [] });
    const turnedIn = await call("POST", `/assignments/${target.body.assignment_id}/turn-in`, { token: alex.token, body: { file_ids: [good.file_id] } });
    expect(turnedIn.body.attachments).toEqual([shown(good)]);
  });

  it("carries file_ids and attachments through tRPC as well", async () => {
    const klass = await makeClass(1);
    const pdf = await uploadFile(klass.teacher, { class_id: klass.class_id, purpose: "material", filename: "rubric.pdf" }, Buffer.from("%PDF rubric"));
    const created = await client(klass.teacher).assignment.create.mutate({ class_id: klass.class_id, title: "Project", file_ids: [pdf.file_id] });
    expect(created.attachments).toEqual([shown(pdf)]);
    const read = await client(klass.students[0]!).assignment.byId.query({ assignment_id: created.assignment_id });
    expect(read.attachments).toEqual([shown(pdf)]);
  });
});
