/**
 * Runs s3rver (an S3-compatible server from the npm registry) for tests and for `pnpm dev`:
 * on a free port, with its objects in a folder, and creates the buckets asked for with a CORS
 * rule for the web app's origins, so presigned POST uploads and presigned GETs work from a
 * browser. It runs in this process (no Java, no child).
 *
 * What it does NOT do, unlike S3: it enforces neither POST policy conditions (size range,
 * content type) nor request signatures. Code that relies on them must re-check (Classroom
 * re-reads every uploaded object before accepting it).
 *
 * s3rver 3.7.1 is patched (patches/s3rver@3.7.1.patch, applied by pnpm install): an upload
 * racing a delete that empties the same folder crashed the whole process with an unhandled
 * stream error; the patched store opens the file first and retries that race.
 */
/// <reference path="./s3rver.d.ts" />
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdirSync } from "node:fs";
import S3rver from "s3rver";
import { freePort, portInUse } from "./dynamo.ts";

export interface S3Local {
  /** The endpoint clients use (path-style addressing). */
  endpoint: string;
  port: number;
  /** Stops answering at once: open connections are dropped (an outage, as a client sees it). */
  stop(): Promise<void>;
}

export interface S3StartOptions {
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** Folder for buckets and objects (kept across restarts). */
  dataDir: string;
  /** Buckets to create (if missing) before it answers. */
  buckets?: string[];
  /** Origins the buckets accept cross-origin uploads and downloads from; `*` is a wildcard. */
  corsOrigins?: string[];
}

/** Credentials s3rver accepts (it checks the access key, not the signature of presigned requests). */
export const S3_LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export class S3LocalError extends Error {
  override readonly name = "S3LocalError";
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The bucket CORS configuration: uploads (POST) and downloads (GET, HEAD) from these origins. */
export function corsXml(origins: readonly string[]): string {
  return [
    "<CORSConfiguration><CORSRule>",
    ...origins.map((origin) => `<AllowedOrigin>${escapeXml(origin)}</AllowedOrigin>`),
    "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>POST</AllowedMethod>",
    "<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>",
    "</CORSRule></CORSConfiguration>",
  ].join("");
}

export function localS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: S3_LOCAL_CREDENTIALS });
}

export async function startS3Local(options: S3StartOptions): Promise<S3Local> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && (await portInUse(port))) {
    throw new S3LocalError(`Port ${port} is already in use; the local S3 cannot start there.`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const cors = corsXml(options.corsOrigins ?? ["*"]);
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    directory: options.dataDir,
    silent: true,
    vhostBuckets: false,
    // Re-applied at every start, so a changed origin list takes effect on an existing bucket.
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [cors] })),
  });
  try {
    await server.run();
  } catch (error) {
    throw new S3LocalError(`The local S3 did not start on port ${port}: ${(error as Error).message}`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint);
  try {
    // configureBuckets wrote them; this proves the server answers for each.
    for (const Bucket of options.buckets ?? []) await client.send(new HeadBucketCommand({ Bucket }));
  } finally {
    client.destroy();
  }
  let stopped = false;
  return {
    endpoint,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      const http = server.httpServer;
      const closed = server.close();
      http?.closeAllConnections();
      await closed;
    },
  };
}
