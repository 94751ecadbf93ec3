/**
 * Files people upload: a private bucket the API hands presigned requests for (browsers upload
 * and download straight to and from S3; the API never carries the bytes).
 *
 * Uploads land under `pending/` (the presigned POST's policy pins the key there); completing
 * one moves the checked object to `files/`. So the lifecycle rule below deletes exactly the
 * uploads nobody completed, a day later: no tags needed, nothing a client can opt out of.
 * Objects of removed posts and deleted assignments are deleted by the table's stream consumer.
 *
 * No public access (SST's default for a bucket without `access`). Its CORS rule is set once
 * the web app's origin is known (`allowWebOrigin`, called from web.ts), as the web app needs
 * the API first. Request metrics (4xx and 5xx errors) need a metrics configuration; storage
 * metrics (size, object count) S3 publishes daily on its own.
 */

/** The objects a metrics configuration covers: all of them. Its name is the metrics' FilterId. */
export const FILES_METRICS_FILTER = "EntireBucket";

export const files = new sst.aws.Bucket("Files", {
  cors: false,
  lifecycle: [{ id: "abandoned-uploads", prefix: "pending/", expiresIn: "1 day" }],
});

new aws.s3.BucketMetric("FilesRequestMetrics", { bucket: files.name, name: FILES_METRICS_FILTER });

/** Under `sst dev` the web app is Vite's dev server on this machine (web.ts), not CloudFront. */
const DEV_WEB_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"];

/**
 * Lets the web app's pages POST uploads to the bucket and read from it with `fetch` (progress
 * bars, thumbnails). Plain links and `<img>` need no CORS; the presigned URL is the credential.
 */
export function allowWebOrigin(webUrl: $util.Input<string>) {
  return new aws.s3.BucketCorsConfiguration("FilesCors", {
    bucket: files.name,
    corsRules: [
      {
        allowedOrigins: $dev ? DEV_WEB_ORIGINS : [webUrl],
        allowedMethods: ["GET", "HEAD", "POST"],
        allowedHeaders: ["*"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 3000,
      },
    ],
  });
}
