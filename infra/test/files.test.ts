import { beforeAll, describe, expect, it } from "vitest";
import { type Infra, loadInfra, reference } from "./fake-sst.ts";

/** The files bucket, as the infra asks AWS for it, and what may use it. */
let infra: Infra;

beforeAll(async () => {
  infra = await loadInfra();
});

describe("the files bucket", () => {
  it("is private and deletes uploads nobody completed after a day", () => {
    const { args } = infra.resource("sst.aws.Bucket", "Files");
    // No `access`: SST blocks all public access; objects are reached through presigned requests only.
    expect(args.access).toBeUndefined();
    expect(args.lifecycle).toEqual([{ id: "abandoned-uploads", prefix: "pending/", expiresIn: "1 day" }]);
    expect(args.lifecycle).toHaveLength(1);
  });

  it("accepts uploads from the web app's origin only", () => {
    expect(infra.resource("sst.aws.Bucket", "Files").args.cors).toBe(false);
    const { args } = infra.resource("aws.s3.BucketCorsConfiguration", "FilesCors");
    expect(args.bucket).toBe(reference("Files.name"));
    expect(args.corsRules).toEqual([
      expect.objectContaining({ allowedOrigins: [reference("Web.url")], allowedMethods: ["GET", "HEAD", "POST"] }),
    ]);
  });

  it("is linked to the API and to the stream consumer, named in their environment", () => {
    const api = infra.resource("sst.aws.Function", "ApiHandler").args;
    expect(api.link).toContain(reference("Files"));
    expect(api.environment.FILES_BUCKET).toBe(reference("Files.name"));
    const subscribe = infra.callsOf("Table", "subscribe")[0]!;
    expect(subscribe.args[1].link).toContain(reference("Files"));
    expect(subscribe.args[1].environment.FILES_BUCKET).toBe(reference("Files.name"));
  });

  it("publishes request metrics, and the dashboard shows its size and request errors", () => {
    const metrics = infra.resource("aws.s3.BucketMetric", "FilesRequestMetrics").args;
    expect(metrics).toEqual({ bucket: reference("Files.name"), name: "EntireBucket" });
    const body = JSON.parse(infra.resource("aws.cloudwatch.Dashboard", "Dashboard").args.dashboardBody) as {
      widgets: Array<{ properties: { title: string; metrics?: unknown[][] } }>;
    };
    const metricNames = (title: string) =>
      body.widgets.find((w) => w.properties.title === title)!.properties.metrics!.flat().filter((m) => typeof m === "string");
    expect(metricNames("Files bucket size (GiB)")).toEqual(expect.arrayContaining(["AWS/S3", "BucketSizeBytes", reference("Files.name")]));
    expect(metricNames("Files bucket request errors")).toEqual(expect.arrayContaining(["4xxErrors", "5xxErrors", "FilterId", "EntireBucket"]));
  });
});
