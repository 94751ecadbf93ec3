import { beforeAll, describe, expect, it } from "vitest";
import { type AlarmArgs, type Metric, type Scenario, evaluate, metricsOf } from "./cloudwatch.ts";
import { type Infra, type RecordedResource, loadInfra, reference } from "./fake-sst.ts";

/**
 * The eight alarms of the requirements, read from the CloudWatch alarms the infra asks for:
 *
 *   1. API Gateway 5xx errors > 10 in 5 minutes       5. Lambda concurrent executions > 800
 *   2. Lambda error rate > 5%                          6. Daily cost > $20
 *   3. DynamoDB throttles > 50 in 5 minutes            7. S3 bucket storage > 50GB
 *   4. API latency p99 > 2 seconds                     8. Cognito authentication failures > 20 in 5 minutes
 *
 * Each test checks the alarm's metrics, statistic, period, threshold and comparison, then
 * replays datapoints on either side of the requirement's figure through a model of
 * CloudWatch's evaluation (./cloudwatch.ts), so a wrong unit or formula fails too.
 */
const FIVE_MINUTES = 300;
const ONE_DAY = 86_400;
/** S3 reports BucketSizeBytes in bytes; AWS's "GB" for storage is 2^30 bytes. */
const GB = 1024 ** 3;

const JOB_ALARMS = ["RecommendationsTrainingAlarm"];

let infra: Infra;
let alarms: RecordedResource[];

beforeAll(async () => {
  infra = await loadInfra();
  // The requirements' eight; the scheduled jobs' own alarms are checked in jobs.test.ts.
  alarms = infra.ofType("aws.cloudwatch.MetricAlarm").filter((alarm) => !JOB_ALARMS.includes(alarm.name));
});

/** The one alarm that reads this metric. */
function alarmOn(namespace: string, metricName: string): AlarmArgs {
  const found = alarms.filter((alarm) => metricsOf(alarm.args).some((m) => m.namespace === namespace && m.metricName === metricName));
  expect(found.map((alarm) => alarm.name), `alarms on ${namespace} ${metricName}`).toHaveLength(1);
  return found[0]!.args;
}

/**
 * A scenario from datapoints (oldest first) keyed "MetricName stat", for that metric whatever
 * its dimensions, or "MetricName stat Name=value ...", for the metric with exactly those dimensions.
 */
function scenario(data: Record<string, number[]>): Scenario {
  return (metric: Metric) => {
    for (const [key, series] of Object.entries(data)) {
      const [metricName, stat, ...dimensions] = key.split(" ");
      if (metricName !== metric.metricName || stat !== metric.stat) continue;
      if (dimensions.length === 0) return series;
      const wanted = Object.fromEntries(dimensions.map((d) => d.split("=")));
      if (JSON.stringify(Object.entries(wanted).sort()) === JSON.stringify(Object.entries(metric.dimensions).sort())) return series;
    }
    return undefined;
  };
}

const functionNames = () => {
  const subscribers = infra.callsOf("Table", "subscribe").map((call) => call.args[0] as string);
  return [reference("ApiHandler.name"), ...subscribers.map((name) => reference(`Table.subscribe(${name}).nodes.function.name`))];
};

describe("the alarms", () => {
  it("are the requirements' eight, each notifying a topic in its own region", () => {
    expect(alarms).toHaveLength(8);
    const billingTopic = infra.resource("aws.sns.Topic", "BillingAlarms");
    for (const { name, args } of alarms) {
      const topic = args.region === "us-east-1" ? reference("BillingAlarms.arn") : reference("Alarms.arn");
      if (args.region === "us-east-1") expect(billingTopic.args.region).toBe("us-east-1");
      expect(args.alarmActions, name).toEqual([topic]);
    }
    expect(infra.resource("sst.aws.SnsTopic", "Alarms").args?.region).toBeUndefined();
  });

  it("1. API 5xx errors > 10 in 5 minutes, on the function URL that serves the API by default", () => {
    const alarm = alarmOn("AWS/Lambda", "Url5xxCount");
    expect(alarm).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Url5xxCount",
      dimensions: { FunctionName: reference("ApiHandler.name") },
      statistic: "Sum",
      period: FIVE_MINUTES,
      threshold: 10,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect(evaluate(alarm, scenario({ "Url5xxCount Sum": [11] }))).toBe("ALARM");
    expect(evaluate(alarm, scenario({ "Url5xxCount Sum": [10] }))).toBe("OK");
    expect(evaluate(alarm, scenario({}))).toBe("OK");
  });

  it("2. Lambda error rate > 5%, over every function of the app", () => {
    const alarm = alarmOn("AWS/Lambda", "Errors");
    expect(alarm).toMatchObject({ threshold: 5, comparisonOperator: "GreaterThanThreshold" });
    const read = metricsOf(alarm);
    const [api, stream] = functionNames();
    expect(stream).toBeDefined();
    for (const FunctionName of [api, stream]) {
      for (const metricName of ["Errors", "Invocations"]) {
        expect(read).toContainEqual({ namespace: "AWS/Lambda", metricName, stat: "Sum", period: FIVE_MINUTES, dimensions: { FunctionName } });
      }
    }
    const run = (apiErrors: number, apiCalls: number, streamErrors: number, streamCalls: number) =>
      evaluate(
        alarm,
        scenario({
          [`Errors Sum FunctionName=${api}`]: [apiErrors],
          [`Invocations Sum FunctionName=${api}`]: [apiCalls],
          [`Errors Sum FunctionName=${stream}`]: [streamErrors],
          [`Invocations Sum FunctionName=${stream}`]: [streamCalls],
        }),
      );
    expect(run(6, 100, 0, 0)).toBe("ALARM");
    expect(run(5, 100, 0, 0)).toBe("OK");
    expect(run(0, 90, 6, 10)).toBe("ALARM"); // 6 of 100 invocations, all in the stream consumer
    expect(run(0, 0, 0, 0)).toBe("OK");
    // One function without any datapoint (idle) does not hide the other's errors.
    expect(evaluate(alarm, scenario({ [`Errors Sum FunctionName=${api}`]: [3], [`Invocations Sum FunctionName=${api}`]: [10] }))).toBe("ALARM");
  });

  it("3. DynamoDB throttles > 50 in 5 minutes, on the table and its GSIs", () => {
    const alarm = alarmOn("AWS/DynamoDB", "ReadThrottleEvents");
    expect(alarm).toMatchObject({ threshold: 50, comparisonOperator: "GreaterThanThreshold" });
    const table = reference("Table.name");
    const gsis = Object.keys(infra.resource("sst.aws.Dynamo", "Table").args.globalIndexes);
    const read = metricsOf(alarm);
    for (const dimensions of [{ TableName: table }, ...gsis.map((GlobalSecondaryIndexName) => ({ TableName: table, GlobalSecondaryIndexName }))]) {
      for (const metricName of ["ReadThrottleEvents", "WriteThrottleEvents"]) {
        expect(read).toContainEqual({ namespace: "AWS/DynamoDB", metricName, stat: "Sum", period: FIVE_MINUTES, dimensions });
      }
    }
    const gsi = gsis[0]!;
    expect(evaluate(alarm, scenario({ [`ReadThrottleEvents Sum TableName=${table}`]: [30], [`WriteThrottleEvents Sum TableName=${table} GlobalSecondaryIndexName=${gsi}`]: [21] }))).toBe("ALARM");
    expect(evaluate(alarm, scenario({ [`ReadThrottleEvents Sum TableName=${table}`]: [30], [`WriteThrottleEvents Sum TableName=${table} GlobalSecondaryIndexName=${gsi}`]: [20] }))).toBe("OK");
    expect(evaluate(alarm, scenario({}))).toBe("OK");
  });

  it("4. API latency p99 > 2 seconds", () => {
    const alarm = alarmOn("AWS/Lambda", "UrlRequestLatency");
    // Function URLs report UrlRequestLatency in milliseconds.
    expect(alarm).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "UrlRequestLatency",
      dimensions: { FunctionName: reference("ApiHandler.name") },
      extendedStatistic: "p99",
      period: FIVE_MINUTES,
      threshold: 2_000,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect(evaluate(alarm, scenario({ "UrlRequestLatency p99": [2_001] }))).toBe("ALARM");
    expect(evaluate(alarm, scenario({ "UrlRequestLatency p99": [2_000] }))).toBe("OK");
  });

  it("5. Lambda concurrent executions > 800", () => {
    const alarm = alarmOn("AWS/Lambda", "ConcurrentExecutions");
    expect(alarm).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "ConcurrentExecutions",
      statistic: "Maximum",
      threshold: 800,
      comparisonOperator: "GreaterThanThreshold",
    });
    // Account-wide: the limit it guards is the account's.
    expect(alarm.dimensions ?? {}).toEqual({});
    expect(evaluate(alarm, scenario({ "ConcurrentExecutions Maximum": [801] }))).toBe("ALARM");
    expect(evaluate(alarm, scenario({ "ConcurrentExecutions Maximum": [800] }))).toBe("OK");
  });

  it("6. Daily cost > $20", () => {
    const alarm = alarmOn("AWS/Billing", "EstimatedCharges") as AlarmArgs & { region?: string };
    // Billing metrics exist only in us-east-1.
    expect(alarm.region).toBe("us-east-1");
    expect(alarm).toMatchObject({ threshold: 20, comparisonOperator: "GreaterThanThreshold" });
    expect(metricsOf(alarm)).toEqual([
      { namespace: "AWS/Billing", metricName: "EstimatedCharges", stat: "Maximum", period: ONE_DAY, dimensions: { Currency: "USD" } },
    ]);
    // EstimatedCharges is the month-to-date total, one datapoint a day.
    const days = (...totals: number[]) => evaluate(alarm, scenario({ "EstimatedCharges Maximum": totals }));
    expect(days(100, 121)).toBe("ALARM");
    expect(days(100, 120)).toBe("OK");
    expect(days(600, 21)).toBe("ALARM"); // the 1st of the month: the total restarts from zero
    expect(days(600, 20)).toBe("OK");
  });

  it("7. S3 bucket storage > 50GB, on the bucket of uploaded files", () => {
    const alarm = alarmOn("AWS/S3", "BucketSizeBytes");
    // The files bucket is what grows with use; the web app's assets are a build's worth.
    infra.resource("sst.aws.Bucket", "Files");
    expect(alarm).toMatchObject({
      namespace: "AWS/S3",
      metricName: "BucketSizeBytes",
      dimensions: { BucketName: reference("Files.name"), StorageType: "StandardStorage" },
      statistic: "Average",
      // S3 publishes storage metrics once a day.
      period: ONE_DAY,
      threshold: 50 * GB,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect(evaluate(alarm, scenario({ "BucketSizeBytes Average": [50 * GB + 1024 ** 2] }))).toBe("ALARM");
    expect(evaluate(alarm, scenario({ "BucketSizeBytes Average": [50 * GB] }))).toBe("OK");
  });

  it("8. Cognito authentication failures > 20 in 5 minutes", () => {
    const alarm = alarmOn("AWS/Cognito", "SignInSuccesses");
    expect(alarm).toMatchObject({ threshold: 20, comparisonOperator: "GreaterThanThreshold" });
    const dimensions = { UserPool: reference("UserPool.id"), UserPoolClient: reference("UserPool.addClient(Web).id") };
    for (const m of metricsOf(alarm)) expect(m).toMatchObject({ namespace: "AWS/Cognito", period: FIVE_MINUTES, dimensions });
    // SignInSuccesses is 1 per successful sign-in and 0 per failed one.
    const signIns = (attempts: number, succeeded: number) =>
      evaluate(alarm, scenario({ "SignInSuccesses SampleCount": [attempts], "SignInSuccesses Sum": [succeeded] }));
    expect(signIns(100, 79)).toBe("ALARM");
    expect(signIns(100, 80)).toBe("OK");
    expect(signIns(21, 0)).toBe("ALARM");
    expect(evaluate(alarm, scenario({}))).toBe("OK");
  });
});
