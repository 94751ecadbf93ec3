/**
 * Faults (R5): the local S3 is down (s3rver stopped: connections refused), or fails one step
 * of `complete` (the proxy in front of it cuts that request). Asking for an upload and
 * completing one answer 503 `service.unavailable`, never a 500; nothing is stored that could
 * later be attached (no file item for a refused upload, a file never `ready` without its
 * object); after recovery the same flow works, and the same pending upload completes.
 */
import * as File from "@classroom/core/file";
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byEntity, scanTable } from "../security/table.ts";
import { completeFile, createFile, sendForm } from "./coursework.ts";
import { type FaultStack, type Person, classWith, request, startFaultStack } from "./fault-stack.ts";
import { fileViolations } from "./verify.ts";

let stack: FaultStack;
let klass: Awaited<ReturnType<typeof classWith>>;

beforeAll(async () => {
  stack = await startFaultStack("classroom-s3-faults");
  klass = await classWith(stack, 1);
});

afterAll(async () => {
  await stack?.stop();
});

const filesOfClass = async () => byEntity(await scanTable(stack.env), "file").filter((f) => f.class_id === klass.class_id);
const fileItem = async (file_id: string) => (await filesOfClass()).find((f) => f.file_id === file_id);
const attachable = (file_id: string, who: Person, purpose = "material") =>
  File.requireAttachable([file_id], { class_id: klass.class_id, purpose: purpose as never, actor: { userId: who.sub, name: "x" } }).then(
    () => "attachable",
    (error: { code?: string }) => error.code,
  );
/** What is stored under a key, straight from the local S3: its size, or undefined. */
async function stored(key: string): Promise<number | undefined> {
  const head = await fetch(`${stack.s3Endpoint}/${stack.filesBucket}/${key}`, { method: "HEAD" });
  return head.status === 200 ? Number(head.headers.get("content-length")) : undefined;
}

/** Asks for an upload and sends the bytes to S3, leaving it to be completed. */
async function uploaded(bytes: Buffer, who = klass.teacher, purpose = "material"): Promise<string> {
  const created = await createFile(stack, who, { class_id: klass.class_id, purpose, size: bytes.length });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await sendForm(created.body.upload, bytes)).toBe(204);
  return created.body.file_id;
}

const unavailable = (answer: { status: number; body: any }) => [answer.status, answer.body?.error?.code];

describe("S3 outage", () => {
  it("answers 503 for new uploads and completions while S3 is stopped, stores nothing attachable, and works again after", async () => {
    const { teacher } = klass;
    const ready = await uploaded(Buffer.from("%PDF ready before"));
    expect((await completeFile(stack, teacher, ready)).status).toBe(200);
    const waiting = Buffer.from("%PDF sent, not completed");
    const pending = await uploaded(waiting);
    const filesBefore = await filesOfClass();

    await stack.stopS3();
    const refused = await createFile(stack, teacher, { class_id: klass.class_id, purpose: "material", size: 100 });
    expect(unavailable(refused)).toEqual([503, "service.unavailable"]);
    expect(refused.ms).toBeLessThan(5_000);
    // Nothing stored for the refused upload.
    expect(await filesOfClass()).toEqual(filesBefore);

    const completing = await completeFile(stack, teacher, pending);
    expect(unavailable(completing)).toEqual([503, "service.unavailable"]);
    expect((await fileItem(pending))?.status).toBe("pending");
    expect(await attachable(pending, teacher)).toBe("file.not_ready");
    const notReady = await request(stack, "GET", `/files/${pending}`, teacher.token);
    expect([notReady.status, notReady.body.error.code]).toEqual([409, "file.not_ready"]);

    // A download link is signed without asking S3, so a ready file still gets one (never a
    // 500); the link itself works again once S3 is back.
    const link = await request(stack, "GET", `/files/${ready}`, klass.students[0]!.token);
    expect([200, 503]).toContain(link.status);
    console.log(`download of a ready file while S3 is down: ${link.status} ${link.body?.error?.code ?? ""}`);

    await stack.startS3();
    expect((await completeFile(stack, teacher, pending)).body).toMatchObject({ file_id: pending, status: "ready", size: waiting.length });
    expect(await attachable(pending, teacher)).toBe("attachable");
    const download = await request(stack, "GET", `/files/${pending}`, klass.students[0]!.token);
    expect(download.status).toBe(200);
    expect(Buffer.from(await (await fetch(download.body.url)).arrayBuffer()).equals(waiting)).toBe(true);
    if (link.status === 200) expect((await fetch(link.body.url)).status).toBe(200);
    // And a whole new upload.
    const fresh = await uploaded(Buffer.from("%PDF after the outage"));
    expect((await completeFile(stack, teacher, fresh)).body.status).toBe("ready");
    expect(await fileViolations(stack, await scanTable(stack.env))).toEqual([]);
  });

  it("never marks a file ready without its object when S3 fails one step of completing it", async () => {
    const { teacher } = klass;
    // Each step, cut: what `complete` answers, and what the file is afterwards.
    const steps: Array<[string, (request: IncomingMessage) => boolean, number, string]> = [
      ["reading the upload back", (r) => r.method === "HEAD" && r.url!.includes("/pending/"), 503, "pending"],
      ["copying it into place", (r) => r.method === "PUT" && r.headers["x-amz-copy-source"] !== undefined, 503, "pending"],
      // The file is ready by then; the pending copy is left to the bucket's lifecycle rule.
      ["deleting the pending copy", (r) => r.method === "DELETE", 200, "ready"],
    ];
    for (const [step, pick, status, state] of steps) {
      const bytes = Buffer.from(`%PDF ${step}`);
      const file_id = await uploaded(bytes);
      stack.failS3(pick);
      const first = await completeFile(stack, teacher, file_id);
      stack.failS3(undefined);
      expect(first.status, `${step}: ${JSON.stringify(first.body)}`).toBe(status);
      if (status === 503) expect(first.body.error.code).toBe("service.unavailable");
      const item = await fileItem(file_id);
      expect(item?.status, step).toBe(state);
      // Ready only with its object in place; otherwise not attachable.
      if (state === "ready") expect(await stored(`files/${file_id}`), step).toBe(bytes.length);
      else expect(await attachable(file_id, teacher), step).toBe("file.not_ready");
      // Completing again finishes it (or answers it again).
      const again = await completeFile(stack, teacher, file_id);
      expect(again.body, step).toMatchObject({ status: "ready", size: bytes.length });
      expect(await stored(`files/${file_id}`), step).toBe(bytes.length);
    }
    expect(await fileViolations(stack, await scanTable(stack.env))).toEqual([]);
    console.log(stack.logs.summary());
    expect(stack.logs.unexpected()).toEqual([]);
  });
});
