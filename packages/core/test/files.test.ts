/**
 * Files through a real (local) S3: uploads are sent as the browser sends them, a multipart
 * form POST of the presigned fields and the bytes, and downloads are fetched from the
 * presigned GET. The local S3 enforces neither the policy nor signatures, so what it would
 * refuse on AWS is checked twice here: in the policy itself, and in what `complete` accepts.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { startS3Local } from "@classroom/local-services/s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as File from "../src/file/index.ts";
import * as Storage from "../src/file/storage.ts";
import { MAX_FILE_SIZE } from "../src/limits.ts";
import * as Post from "../src/post/index.ts";
import { dynamo, tableName } from "../src/table.ts";
import { everyPage } from "./pages.ts";
import { code, makeClass, type TestClass } from "./factory.ts";

const PDF = "application/pdf" as const;
const pdfBytes = (text = "lab report") => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);

type Ticket = Awaited<ReturnType<typeof File.create>>;

/** What a browser does with the ticket: the fields as they are, then the file, as multipart/form-data. */
async function postForm(ticket: Ticket, bytes: Buffer, contentType = ticket.upload.fields["Content-Type"]!): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, name === "Content-Type" ? contentType : value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "upload.bin");
  const response = await fetch(ticket.upload.url, { method: "POST", body: form });
  await response.arrayBuffer();
  return response.status;
}

/** Upload and complete a file; the file is `ready` afterwards. */
async function uploaded(klass: TestClass, who: Actor, purpose: File.FilePurpose, bytes = pdfBytes(), filename = "report.pdf") {
  const ticket = await File.create({ class_id: klass.class_id, purpose, filename, content_type: PDF, size: bytes.length }, who);
  expect(await postForm(ticket, bytes)).toBe(204);
  return File.complete({ file_id: ticket.file_id }, who);
}

/**
 * The file items of a class, read straight from the table: a Scan (a test, not a request path),
 * read to its last page (a page holds at most 1 MB of the shared table).
 */
async function fileItems(class_id: string) {
  return everyPage((start) =>
    dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        ConsistentRead: true,
        FilterExpression: "#e = :file AND class_id = :class",
        ExpressionAttributeNames: { "#e": "__edb_e__" },
        ExpressionAttributeValues: { ":file": { S: "file" }, ":class": { S: class_id } },
        ExclusiveStartKey: start as never,
      }),
    ),
  );
}

describe("uploading and downloading", () => {
  it("uploads through the presigned POST, completes, and downloads the same bytes as an attachment", async () => {
    const klass = await makeClass({ students: 1 });
    const bytes = Buffer.concat([pdfBytes(), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256))]);
    const ticket = await File.create({ class_id: klass.class_id, purpose: "material", filename: "Lab 1 — safety.pdf", content_type: PDF, size: bytes.length }, klass.teacher);
    expect(ticket.upload.fields).toMatchObject({ key: `pending/${ticket.file_id}`, "Content-Type": PDF });
    // Written first: the item exists, pending, before anything was uploaded.
    expect(await fileItems(klass.class_id)).toHaveLength(1);
    expect(await code(File.download({ file_id: ticket.file_id }, klass.teacher))).toBe("file.not_ready");

    expect(await postForm(ticket, bytes)).toBe(204);
    const file = await File.complete({ file_id: ticket.file_id }, klass.teacher);
    expect(file).toMatchObject({ file_id: ticket.file_id, status: "ready", size: bytes.length, content_type: PDF, filename: "Lab 1 — safety.pdf", purpose: "material" });
    expect(file.completed_at).toEqual(expect.any(String));
    // Moved out of pending/ (which the bucket's lifecycle rule empties after a day).
    expect(await Storage.head(Storage.pendingKey(ticket.file_id))).toBeUndefined();
    expect(await Storage.head(Storage.storedKey(ticket.file_id))).toEqual({ size: bytes.length, content_type: PDF });

    const link = await File.download({ file_id: ticket.file_id }, klass.students[0]!);
    expect(link).toMatchObject({ filename: "Lab 1 — safety.pdf", content_type: PDF, size: bytes.length });
    expect(Date.parse(link.expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(link.expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get("content-type")).toBe(PDF);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="Lab 1 _ safety.pdf"; filename*=UTF-8''Lab%201%20%E2%80%94%20safety.pdf`);
  });

  it("signs a POST policy that pins the key, the type and the exact size, for 15 minutes", async () => {
    const klass = await makeClass({ students: 1 });
    const before = Date.now();
    const ticket = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "essay.docx", content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", size: 12_345 }, klass.students[0]!);
    const after = Date.now();
    const policy = JSON.parse(Buffer.from(ticket.upload.fields.Policy!, "base64").toString("utf8")) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { key: `pending/${ticket.file_id}` },
        { "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        ["content-length-range", 12_345, 12_345],
        { bucket: "classroom-test-files" },
        { "X-Amz-Algorithm": "AWS4-HMAC-SHA256" },
      ]),
    );
    // Nothing else is left open: no starts-with condition would let a client pick another key or type.
    expect(policy.conditions.filter((c) => Array.isArray(c) && c[0] !== "content-length-range")).toEqual([]);
    // 15 minutes from when it was signed, somewhere during the call (the policy keeps whole seconds).
    expect(Date.parse(policy.expiration)).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1_000);
    expect(Date.parse(policy.expiration)).toBeLessThanOrEqual(after + 15 * 60_000);
    expect(Math.abs(Date.parse(ticket.expires_at) - Date.parse(policy.expiration))).toBeLessThan(2_000);
    expect(ticket.upload.fields).toMatchObject({ "X-Amz-Signature": expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("refuses an upload that differs from its declaration with 422, and deletes it", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const declared = pdfBytes("exactly this");
    // More bytes than declared (S3 refuses these by the policy; the local S3 does not).
    const bigger = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "a.pdf", content_type: PDF, size: declared.length }, alex);
    expect(await postForm(bigger, Buffer.concat([declared, Buffer.from("and more")]))).toBe(204);
    expect(await code(File.complete({ file_id: bigger.file_id }, alex))).toBe("file.mismatch");
    expect(await Storage.head(Storage.pendingKey(bigger.file_id))).toBeUndefined();
    expect(await Storage.head(Storage.storedKey(bigger.file_id))).toBeUndefined();
    expect(await code(File.download({ file_id: bigger.file_id }, alex))).toBe("file.not_ready");
    // Another content type than declared.
    const retyped = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "b.pdf", content_type: PDF, size: declared.length }, alex);
    expect(await postForm(retyped, declared, "text/html")).toBe(204);
    const refused = await File.complete({ file_id: retyped.file_id }, alex).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: "unprocessable", code: "file.mismatch" });
    expect(await Storage.head(Storage.pendingKey(retyped.file_id))).toBeUndefined();
    // Nothing can be attached from either.
    expect(await code(File.requireAttachable([bigger.file_id], { class_id: klass.class_id, purpose: "submission", actor: alex }))).toBe("file.not_ready");
    // The same ticket still works for a correct upload within its 15 minutes.
    expect(await postForm(retyped, declared)).toBe(204);
    expect((await File.complete({ file_id: retyped.file_id }, alex)).status).toBe("ready");
  });

  it("answers 409 file.not_uploaded before the upload, and the same file when completed twice", async () => {
    const klass = await makeClass({ students: 1 });
    const ticket = await File.create({ class_id: klass.class_id, purpose: "post", filename: "notes.txt", content_type: "text/plain", size: 5 }, klass.teacher);
    expect(await code(File.complete({ file_id: ticket.file_id }, klass.teacher))).toBe("file.not_uploaded");
    expect(await postForm(ticket, Buffer.from("hello"))).toBe(204);
    const [first, second] = await Promise.all([File.complete({ file_id: ticket.file_id }, klass.teacher), File.complete({ file_id: ticket.file_id }, klass.teacher)]);
    expect(second).toEqual(first);
    expect(await File.complete({ file_id: ticket.file_id }, klass.teacher)).toEqual(first);
    const link = await File.download({ file_id: ticket.file_id }, klass.students[0]!);
    expect(await (await fetch(link.url)).text()).toBe("hello");
    // Only the uploader completes.
    expect(await code(File.complete({ file_id: ticket.file_id }, klass.students[0]!))).toBe("file.not_owner");
  });

  it("answers every one of several concurrent completes with the ready file", async () => {
    // One of them moves the object and deletes the pending one while the others are between their HEAD and COPY.
    const klass = await makeClass({ students: 0 });
    for (let i = 0; i < 25; i++) {
      const ticket = await File.create({ class_id: klass.class_id, purpose: "post", filename: "n.txt", content_type: "text/plain", size: 5 }, klass.teacher);
      expect(await postForm(ticket, Buffer.from("hello"))).toBe(204);
      const answers = await Promise.allSettled([1, 2, 3].map(() => File.complete({ file_id: ticket.file_id }, klass.teacher)));
      expect(answers.map((a) => (a.status === "fulfilled" ? a.value.status : String(a.reason)))).toEqual(["ready", "ready", "ready"]);
    }
  }, 120_000);

  it("refuses a type or size it does not accept at request time, storing nothing", async () => {
    const klass = await makeClass({ students: 0 });
    const base = { class_id: klass.class_id, purpose: "material" as const, filename: "x.pdf", content_type: PDF, size: 10 };
    for (const bad of [
      { content_type: "text/html" },
      { content_type: "application/x-msdownload" },
      { content_type: "image/svg+xml" },
      { content_type: "application/pdf; charset=utf-8" },
      { size: MAX_FILE_SIZE + 1 },
      { size: 0 },
      { size: 1.5 },
      { size: -1 },
      { filename: "" },
      { filename: "../../" },
      { filename: "\u202E\u0000" },
      { purpose: "avatar" },
    ]) {
      const error = await File.create({ ...base, ...bad } as never, klass.teacher).catch((e: unknown) => e);
      expect(error, JSON.stringify(bad)).toMatchObject({ kind: "bad_request", code: "input.invalid" });
    }
    expect((await File.create({ ...base, size: MAX_FILE_SIZE }, klass.teacher)).file_id).toEqual(expect.any(String));
    expect(await fileItems(klass.class_id)).toHaveLength(1);
  });

  it("keeps file names free of paths, control characters and direction overrides", async () => {
    const klass = await makeClass({ students: 0 });
    const cases: Array<[string, string]> = [
      ["../../etc/passwd", "passwd"],
      ["C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"],
      ["invoice\u202Efdp.exe", "invoicefdp.exe"],
      ["a\u0000b\u0007c\r\nd\u2028.txt", "abcd.txt"],
      ["\u2066hidden\u2069 \u200Bname.pdf", "hidden name.pdf"],
      ["  spaced   out  .pdf  ", "spaced out .pdf"],
      ['what?"<are>|these*:.pdf', "what___are__these__.pdf"],
      ["...", "x"],
      ["Résumé 📄.pdf", "Résumé 📄.pdf"],
    ];
    for (const [raw, shown] of cases) {
      if (shown === "x") {
        expect(await code(File.create({ class_id: klass.class_id, purpose: "material", filename: raw, content_type: PDF, size: 1 }, klass.teacher))).toBe("input.invalid");
        continue;
      }
      const bytes = Buffer.from("x");
      const ticket = await File.create({ class_id: klass.class_id, purpose: "material", filename: raw, content_type: PDF, size: 1 }, klass.teacher);
      expect(await postForm(ticket, bytes)).toBe(204);
      expect((await File.complete({ file_id: ticket.file_id }, klass.teacher)).filename, JSON.stringify(raw)).toBe(shown);
      const link = await File.download({ file_id: ticket.file_id }, klass.teacher);
      expect(link.filename).toBe(shown);
      const disposition = (await fetch(link.url)).headers.get("content-disposition")!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(shown);
    }
    expect(File.sanitizeFilename(`${"a".repeat(300)}.pdf`)).toBe(`${"a".repeat(251)}.pdf`);
  });
});

describe("who may upload and read", () => {
  it("hides another class's files and other students' work behind 404", async () => {
    const klass = await makeClass({ students: 2 });
    const other = await makeClass({ students: 1 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const material = await uploaded(klass, klass.teacher, "material");
    const work = await uploaded(klass, alex, "submission");
    for (const stranger of [other.teacher, other.students[0]!]) {
      expect(await code(File.download({ file_id: material.file_id }, stranger))).toBe("file.not_found");
      expect(await code(File.complete({ file_id: material.file_id }, stranger))).toBe("file.not_found");
    }
    // A submission's files: the student who uploaded them and the class's teachers.
    expect(await code(File.download({ file_id: work.file_id }, sam))).toBe("file.not_found");
    expect(await code(File.complete({ file_id: work.file_id }, sam))).toBe("file.not_found");
    expect((await File.download({ file_id: work.file_id }, alex)).size).toBe(work.size);
    expect((await File.download({ file_id: work.file_id }, klass.teacher)).size).toBe(work.size);
    expect((await File.download({ file_id: material.file_id }, sam)).size).toBe(material.size);
    expect(await code(File.download({ file_id: "01UNKNOWNFILE000000000000" }, alex))).toBe("file.not_found");
  });

  it("lets teachers upload materials and students their work, and posts follow the stream policy", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const ask = (purpose: File.FilePurpose, who: Actor) =>
      code(File.create({ class_id: klass.class_id, purpose, filename: "f.pdf", content_type: PDF, size: 1 }, who));
    expect(await ask("material", alex)).toBe("file.teachers_only");
    expect(await ask("submission", klass.teacher)).toBe("file.students_only");
    expect(await ask("post", alex)).toBe("resolved");
    expect(await ask("material", (await makeClass()).teacher)).toBe("class.not_found");
  });
});

describe("attaching", () => {
  it("attaches only the caller's own ready files of the class and purpose", async () => {
    const klass = await makeClass({ students: 2 });
    const other = await makeClass({ students: 1 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const ready = await uploaded(klass, alex, "submission", pdfBytes(), "mine.pdf");
    const pending = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "later.pdf", content_type: PDF, size: 3 }, alex);
    const foreign = await uploaded(other, other.students[0]!, "submission");
    const options = { class_id: klass.class_id, purpose: "submission" as const, actor: alex };

    expect(await File.requireAttachable([ready.file_id, ready.file_id], options)).toEqual([
      { file_id: ready.file_id, filename: "mine.pdf", content_type: PDF, size: ready.size },
    ]);
    expect(await code(File.requireAttachable([ready.file_id, pending.file_id], options))).toBe("file.not_ready");
    expect(await code(File.requireAttachable([foreign.file_id], options))).toBe("file.not_found");
    expect(await code(File.requireAttachable(["01UNKNOWNFILE000000000000"], options))).toBe("file.not_found");
    expect(await code(File.requireAttachable(["not an id!"], options))).toBe("file.not_found");
    expect(await code(File.requireAttachable([ready.file_id], { ...options, actor: sam }))).toBe("file.not_found");
    expect(await code(File.requireAttachable([ready.file_id], { ...options, purpose: "post" }))).toBe("file.not_found");
    expect(await code(File.requireAttachable(Array.from({ length: 11 }, (_, i) => `F${i}`), options))).toBe("file.too_many");
    expect(await File.requireAttachable([], options)).toEqual([]);
  });

  it("stops a removed post's files at once, and the stream consumer deletes them from the bucket", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const file = await uploaded(klass, klass.teacher, "post");
    const post = await Post.create({ class_id: klass.class_id, content: "See the handout" }, klass.teacher);
    const parent = { type: "post" as const, id: post.post_id };
    const options = { class_id: klass.class_id, purpose: "post" as const, actor: klass.teacher, parent };
    expect(await File.attach([file.file_id], options)).toHaveLength(1);
    expect(await File.attach([file.file_id], options)).toHaveLength(1); // the same parent again: harmless
    const elsewhere = await Post.create({ class_id: klass.class_id, content: "Again" }, klass.teacher);
    expect(await code(File.attach([file.file_id], { ...options, parent: { type: "post", id: elsewhere.post_id } }))).toBe("file.already_attached");
    expect((await File.download({ file_id: file.file_id }, alex)).size).toBe(file.size);

    await Post.remove({ post_id: post.post_id }, klass.teacher);
    expect(await code(File.download({ file_id: file.file_id }, alex))).toBe("file.not_found");
    expect(await code(File.download({ file_id: file.file_id }, klass.teacher))).toBe("file.not_found");
    expect(await Storage.head(Storage.storedKey(file.file_id))).toBeDefined();

    const change = {
      event_id: `removal-${post.post_id}`,
      action: "modify" as const,
      at: new Date().toISOString(),
      before: { __edb_e__: "post", post_id: post.post_id, class_id: klass.class_id },
      after: { __edb_e__: "post", post_id: post.post_id, class_id: klass.class_id, removed_at: new Date().toISOString() },
    };
    await File.consume(change);
    await File.consume(change); // redelivered
    expect(await Storage.head(Storage.storedKey(file.file_id))).toBeUndefined();
    expect(await code(File.complete({ file_id: file.file_id }, klass.teacher))).toBe("file.not_found");
  });

  it("hides a draft assignment's materials from students and a deleted assignment's files from everyone", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const draft = await Assignment.create({ class_id: klass.class_id, title: "Soon", state: "draft" }, klass.teacher);
    const material = await uploaded(klass, klass.teacher, "material");
    await File.attach([material.file_id], { class_id: klass.class_id, purpose: "material", actor: klass.teacher, parent: { type: "assignment", id: draft.assignment_id } });
    expect(await code(File.download({ file_id: material.file_id }, alex))).toBe("file.not_found");
    expect((await File.download({ file_id: material.file_id }, klass.teacher)).size).toBe(material.size);
    await Assignment.update({ assignment_id: draft.assignment_id, state: "published" }, klass.teacher);
    expect((await File.download({ file_id: material.file_id }, alex)).size).toBe(material.size);

    const work = await uploaded(klass, alex, "submission");
    await File.attach([work.file_id], { class_id: klass.class_id, purpose: "submission", actor: alex, parent: { type: "submission", id: draft.assignment_id } });
    expect((await File.download({ file_id: work.file_id }, klass.teacher)).size).toBe(work.size);
    await Assignment.remove({ assignment_id: draft.assignment_id }, klass.teacher);
    expect(await code(File.download({ file_id: material.file_id }, klass.teacher))).toBe("file.not_found");
    expect(await code(File.download({ file_id: work.file_id }, alex))).toBe("file.not_found");
  });
});

describe("when S3 cannot be reached", () => {
  const dir = mkdtempSync(join(tmpdir(), "classroom-s3-outage-"));
  const saved = process.env[Storage.S3_ENDPOINT_ENV];
  afterAll(() => {
    process.env[Storage.S3_ENDPOINT_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 on create and complete, and marks nothing ready", async () => {
    const own = await startS3Local({ dataDir: dir, buckets: ["classroom-test-files"] });
    process.env[Storage.S3_ENDPOINT_ENV] = own.endpoint;
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const bytes = pdfBytes();
    const ticket = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "w.pdf", content_type: PDF, size: bytes.length }, alex);
    expect(await postForm(ticket, bytes)).toBe(204);
    await own.stop();

    const failed = await File.complete({ file_id: ticket.file_id }, alex).catch((error: unknown) => error);
    expect(failed).toMatchObject({ kind: "unavailable", code: "service.unavailable" });
    const refused = await File.create({ class_id: klass.class_id, purpose: "submission", filename: "x.pdf", content_type: PDF, size: 3 }, alex).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "unavailable", code: "service.unavailable" });
    const items = await fileItems(klass.class_id);
    expect(items).toHaveLength(1);
    expect(items[0]!.status).toEqual({ S: "pending" });
    expect(await code(File.requireAttachable([ticket.file_id], { class_id: klass.class_id, purpose: "submission", actor: alex }))).toBe("file.not_ready");
    // Still refused for people who may not upload at all: 404 before 503.
    expect(await code(File.create({ class_id: klass.class_id, purpose: "post", filename: "x.pdf", content_type: PDF, size: 3 }, (await makeClass()).teacher))).toBe("class.not_found");

    // S3 back (same data): the same upload completes.
    const back = await startS3Local({ dataDir: dir, port: own.port, buckets: ["classroom-test-files"] });
    try {
      expect((await File.complete({ file_id: ticket.file_id }, alex)).status).toBe("ready");
    } finally {
      await back.stop();
    }
  });
});
