/**
 * The files bucket: where objects live, the S3 client, the presigned requests, and how S3's
 * failures read as domain errors.
 *
 * Object keys: an upload lands under `pending/<file_id>` (the presigned POST pins that key);
 * `complete` copies an object it accepted to `files/<file_id>` and deletes the pending one. The
 * bucket's lifecycle rule deletes whatever stays under `pending/` for a day, so abandoned
 * uploads clean themselves up, without anybody tagging anything (a POST upload cannot be made
 * to land outside the prefix: the policy pins the key).
 *
 * Configuration, as the infra sets it on Lambda: `FILES_BUCKET` (the bucket's name) and, for
 * a local S3-compatible server, `S3_ENDPOINT` (path-style addressing, the local server's key
 * pair). On AWS the credentials are the function's role.
 *
 * The S3 SDK is imported on first use, not at start: most requests never touch a file, and the
 * API's Lambda bundle (built with code splitting) then keeps the SDK out of what a cold start loads.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { DomainError } from "../errors.ts";
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from "../limits.ts";

export const FILES_BUCKET_ENV = "FILES_BUCKET";
export const S3_ENDPOINT_ENV = "S3_ENDPOINT";
/** The key pair a local S3-compatible server (s3rver) accepts. */
const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export const pendingKey = (file_id: string) => `pending/${file_id}`;
export const storedKey = (file_id: string) => `files/${file_id}`;

export function bucket(): string {
  const name = process.env[FILES_BUCKET_ENV];
  if (!name) throw new Error(`${FILES_BUCKET_ENV} is not set: the API does not know its files bucket.`);
  return name;
}

const sdk = () => import("@aws-sdk/client-s3");

let client: { endpoint: string | undefined; s3: S3Client } | undefined;

/**
 * One client per process (re-made if the endpoint setting changes). Like the DynamoDB client:
 * a connection must open within 1 s and a call answer within 5 s (a copy of a 25 MB object
 * included), retried once or twice, then the request fails as `service.unavailable`.
 */
export async function s3(): Promise<S3Client> {
  const { S3Client } = await sdk();
  const endpoint = process.env[S3_ENDPOINT_ENV] || undefined;
  if (!client || client.endpoint !== endpoint) {
    client?.s3.destroy();
    const requestHandler = { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true };
    client = {
      endpoint,
      s3: new S3Client(
        endpoint
          ? { endpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? "us-east-1", credentials: LOCAL_CREDENTIALS, maxAttempts: 2, requestHandler }
          : { maxAttempts: 3, requestHandler },
      ),
    };
  }
  return client.s3;
}

export const storageUnavailable = () =>
  new DomainError("unavailable", "service.unavailable", "File storage is briefly unavailable. Please try again.");

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** S3 could not be reached, failed on its side, or throttled: worth a retry later. */
function unreachable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 429;
  const { name, code } = error as { name?: string; code?: string };
  return name === "TimeoutError" || NETWORK_CODES.has(code ?? "");
}

/** Runs an S3 call; an unreachable, failing or throttling S3 becomes `service.unavailable` (503). */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw unreachable(error) ? storageUnavailable() : error;
  }
}

/** Whether the bucket answers: a fresh upload is only handed out when it can succeed. */
export async function requireReachable(): Promise<void> {
  const { HeadBucketCommand } = await sdk();
  await call(async () => (await s3()).send(new HeadBucketCommand({ Bucket: bucket() })));
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expires_at: string;
}

/**
 * A presigned POST for exactly one object: its key, its Content-Type and its size are all
 * conditions of the signed policy, which S3 enforces (a local server may not: `complete`
 * checks again).
 */
export async function presignUpload(file_id: string, content_type: string, size: number): Promise<PresignedPost> {
  const expires_at = new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString();
  const { createPresignedPost } = await import("@aws-sdk/s3-presigned-post");
  const { url, fields } = await createPresignedPost(await s3(), {
    Bucket: bucket(),
    Key: pendingKey(file_id),
    Fields: { "Content-Type": content_type },
    Conditions: [["content-length-range", size, size]],
    Expires: UPLOAD_URL_SECONDS,
  });
  return { url, fields, expires_at };
}

export interface PresignedGet {
  url: string;
  expires_at: string;
}

/** A presigned GET of a stored file, answered as an attachment with this Content-Disposition. */
export async function presignDownload(file_id: string, content_type: string, disposition: string): Promise<PresignedGet> {
  const expires_at = new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([sdk(), import("@aws-sdk/s3-request-presigner")]);
  const command = new GetObjectCommand({
    Bucket: bucket(),
    Key: storedKey(file_id),
    ResponseContentDisposition: disposition,
    ResponseContentType: content_type,
  });
  return { url: await getSignedUrl(await s3(), command, { expiresIn: DOWNLOAD_URL_SECONDS }), expires_at };
}

/** The size and type of an object, or undefined when there is none. */
export async function head(key: string): Promise<{ size: number; content_type: string } | undefined> {
  const { HeadObjectCommand } = await sdk();
  try {
    const head = await call(async () => (await s3()).send(new HeadObjectCommand({ Bucket: bucket(), Key: key })));
    return { size: head.ContentLength ?? 0, content_type: head.ContentType ?? "" };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export async function copy(from: string, to: string): Promise<void> {
  const { CopyObjectCommand } = await sdk();
  await call(async () => (await s3()).send(new CopyObjectCommand({ Bucket: bucket(), Key: to, CopySource: `${bucket()}/${from}`, MetadataDirective: "COPY" })));
}

/** Deleting an object that is not there is fine (S3 answers 204 either way). */
export async function remove(key: string): Promise<void> {
  const { DeleteObjectCommand } = await sdk();
  await call(async () => (await s3()).send(new DeleteObjectCommand({ Bucket: bucket(), Key: key })));
}
