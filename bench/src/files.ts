/**
 * Files: the API's two steps of an upload, against the same DynamoDB and S3 calls made
 * directly with the SDKs (no HTTP, no auth, no domain code), one request at a time, the two
 * interleaved round by round so drift hits both alike.
 *
 * - presign, `POST /files`: the write limit's counter; the membership, the class and a HEAD
 *   of the bucket (in parallel); the pending file item; signing the POST policy (no request).
 * - complete, `POST /files/{file_id}/complete`: the write limit's counter; the file item, the
 *   membership, the class (one after the other, as the API needs them); a HEAD of the uploaded
 *   object, its COPY out of `pending/`, the item's conditional update to `ready`, the DELETE of
 *   the pending object.
 *
 * Every complete needs an object uploaded just before it: those uploads (a form POST to the
 * local S3, as a browser sends it) are made ahead, outside the timing. The bytes themselves
 * never pass through the API, so the file is small (1 KB): what is measured is the API's work.
 */
import { CopyObjectCommand, DeleteObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as File from "@classroom/core/file";
import { UPLOAD_URL_SECONDS } from "@classroom/core/limits";
import { db, dynamo } from "@classroom/core/table";
import type { Api } from "./http.ts";
import { Recorder, round, type Summary } from "./stats.ts";
import { type BenchUser, type StackInfo, makeClass, makeUsers } from "./world.ts";

export interface FileStep {
  step: "presign" | "complete";
  baseline: Summary;
  rest: Summary;
  /** REST over the direct calls, at p50 and p95. */
  ratio_p50: number;
  ratio_p95: number;
}

const CONTENT_TYPE = "application/pdf" as const;
const BYTES = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1024 - 16, 0x61), Buffer.from("\n%%EOF\n")]);

// One signature for the document commands used here.
const send = (command: GetCommand | PutCommand | UpdateCommand) => dynamo().send(command as never) as Promise<unknown>;

/** The client the API builds for a local S3 (core's file/storage.ts): path-style, the local key pair, the same timeouts. */
function s3Client(): S3Client {
  const endpoint = process.env[File.S3_ENDPOINT_ENV]!;
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  });
}

/** What a browser does with an upload ticket: the form fields as they are, then the file. */
async function postForm(upload: { url: string; fields: Record<string, string> }): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(BYTES)], { type: CONTENT_TYPE }), "bench.pdf");
  const response = await fetch(upload.url, { method: "POST", body: form });
  await response.arrayBuffer();
  if (response.status !== 204) throw new Error(`upload refused: ${response.status}`);
}

/** Interleaves the two runners, `perRound` calls each per round; `prepare` runs before each call, untimed. */
async function measure<T>(rounds: number, perRound: number, prepare: (name: "baseline" | "rest") => Promise<T>, runners: Record<"baseline" | "rest", (prepared: T) => Promise<boolean>>) {
  const recorders = { baseline: new Recorder(), rest: new Recorder() };
  for (const name of ["baseline", "rest"] as const) await runners[name](await prepare(name)); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const name of ["baseline", "rest"] as const) {
      for (let i = 0; i < perRound; i++) {
        const prepared = await prepare(name);
        const began = performance.now();
        let ok = true;
        try {
          ok = await runners[name](prepared);
        } catch {
          ok = false;
        }
        recorders[name].add(performance.now() - began, ok);
      }
    }
  }
  return { baseline: recorders.baseline.summary(), rest: recorders.rest.summary() };
}

export async function fileSteps(api: Api, stack: StackInfo, rounds = 4, perRound = 25): Promise<FileStep[]> {
  // Students upload their work; enough of them that no one meets the write limit (60 per 10 s).
  const people = Math.max(4, Math.ceil((2 * (rounds * perRound + 1)) / 50));
  const [teacher, ...students] = await makeUsers(stack, people + 1);
  const class_id = await makeClass(teacher!, students, "Files");
  let turn = 0;
  const next = (): BenchUser => students[turn++ % students.length]!;
  const entities = db().entities;
  const s3 = s3Client();
  const Bucket = process.env[File.FILES_BUCKET_ENV]!;
  const rateLimit = (user_id: string) => {
    const window = Math.floor(Date.now() / 10_000);
    return send(
      new UpdateCommand(
        entities.rateWindow.update({ user_id, bucket: "write", window }).add({ count: 1 }).set({ expires_at: (window + 2) * 10 }).params({ response: "updated_new" }) as never,
      ),
    );
  };
  const consistentGet = (params: object) => send(new GetCommand({ ...params, ConsistentRead: true } as never));
  const membershipGet = (user_id: string) => consistentGet(entities.membership.get({ class_id, user_id }).params());
  const classGet = () => consistentGet(entities.class.get({ class_id }).params());
  const declared = { class_id, purpose: "submission" as const, filename: "work.pdf", content_type: CONTENT_TYPE, size: BYTES.length };

  const results: FileStep[] = [];
  const report = (step: FileStep["step"], { baseline, rest }: { baseline: Summary; rest: Summary }) =>
    results.push({ step, baseline, rest, ratio_p50: round(rest.p50 / baseline.p50), ratio_p95: round(rest.p95 / baseline.p95) });

  let n = 0;
  report(
    "presign",
    await measure(rounds, perRound, async () => next(), {
      baseline: async (who) => {
        await rateLimit(who.actor.userId);
        await Promise.all([membershipGet(who.actor.userId), classGet(), s3.send(new HeadBucketCommand({ Bucket }))]);
        const file_id = `bench-${++n}-${Math.random().toString(36).slice(2)}`;
        const now = new Date();
        const item = entities.file
          .create({
            file_id,
            class_id,
            purpose: "submission",
            owner_id: who.actor.userId,
            owner_name: who.actor.name,
            filename: declared.filename,
            content_type: CONTENT_TYPE,
            size: BYTES.length,
            status: "pending",
            created_at: now.toISOString(),
            expires_at: Math.floor(now.getTime() / 1000) + 24 * 60 * 60,
          })
          .params();
        await send(new PutCommand(item as never));
        const post = await createPresignedPost(s3, {
          Bucket,
          Key: `pending/${file_id}`,
          Fields: { "Content-Type": CONTENT_TYPE },
          Conditions: [["content-length-range", BYTES.length, BYTES.length]],
          Expires: UPLOAD_URL_SECONDS,
        });
        return post.url.length > 0;
      },
      rest: async (who) => (await api.rest("POST", "/files", who.token, declared)).status === 201,
    }),
  );

  // Each call completes a file uploaded (untimed) just before it, by its owner.
  const uploaded = async () => {
    const who = next();
    const ticket = await File.create(declared, who.actor);
    await postForm(ticket.upload);
    return { who, file_id: ticket.file_id };
  };
  report(
    "complete",
    await measure(rounds, perRound, uploaded, {
      baseline: async ({ who, file_id }) => {
        await rateLimit(who.actor.userId);
        await consistentGet(entities.file.get({ file_id }).params());
        await membershipGet(who.actor.userId);
        await classGet();
        const pending = `pending/${file_id}`;
        const stored = `files/${file_id}`;
        await s3.send(new HeadObjectCommand({ Bucket, Key: pending }));
        await s3.send(new CopyObjectCommand({ Bucket, Key: stored, CopySource: `${Bucket}/${pending}`, MetadataDirective: "COPY" }));
        const ready = entities.file
          .patch({ file_id })
          .set({ status: "ready", completed_at: new Date().toISOString() })
          .remove(["expires_at"])
          .where((a, op) => op.eq(a.status, "pending"))
          .params({ response: "all_new" });
        await send(new UpdateCommand(ready as never));
        await s3.send(new DeleteObjectCommand({ Bucket, Key: pending }));
        return true;
      },
      rest: async ({ who, file_id }) => {
        const reply = await api.rest("POST", `/files/${file_id}/complete`, who.token);
        return reply.status === 200 && reply.body.status === "ready";
      },
    }),
  );
  s3.destroy();
  return results;
}
