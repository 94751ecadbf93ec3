import { tableDefinition } from "@classroom/core/table-definition";
import { alarmThresholds } from "./alarm-thresholds.ts";
import { apiFunction, apiMetrics } from "./api.ts";
import { userPool, userPoolClient } from "./auth.ts";
import { FILES_METRICS_FILTER, files } from "./files.ts";
import { table } from "./storage.ts";
import { notifier } from "./events.ts";
import { trainingFunction } from "./jobs.ts";
import { streamFunction } from "./stream.ts";

/**
 * One CloudWatch dashboard and the seed's eight alarms (thresholds in alarm-thresholds.ts).
 * Alarms notify an SNS topic; set CLASSROOM_ALARM_EMAIL (e.g. in `.env.<stage>`, which SST
 * loads) to subscribe an address to it. X-Ray traces start at the functions: HTTP APIs have
 * no tracing of their own.
 */

const FIVE_MINUTES = 300;
const ONE_HOUR = 3_600;
const ONE_DAY = 86_400;
const GIB = 1024 ** 3;
/** AWS/Billing exists only in us-east-1, whatever region the stage is deployed to. */
const BILLING_REGION = "us-east-1";

const region = aws.getRegionOutput().region;
const apiFunctionName = apiFunction.name;
const streamFunctionName = streamFunction.apply((fn) => fn.name);
const notifierFunctionName = notifier.name;
const trainingFunctionName = trainingFunction.apply((fn) => fn.name);
const functionNames = [apiFunctionName, streamFunctionName, notifierFunctionName];
const tableName = table.name;
const gsiNames = Object.keys(tableDefinition.globalIndexes);
const filesBucketName = files.name;

export const alarmTopic = new sst.aws.SnsTopic("Alarms");
// An alarm can only notify a topic in its own region, hence a second topic for billing.
export const billingAlarmTopic = new aws.sns.Topic("BillingAlarms", { region: BILLING_REGION });

const alarmEmail = process.env.CLASSROOM_ALARM_EMAIL;
if (alarmEmail) {
  new aws.sns.TopicSubscription("AlarmsEmail", {
    topic: alarmTopic.arn,
    protocol: "email",
    endpoint: alarmEmail,
  });
  new aws.sns.TopicSubscription("BillingAlarmsEmail", {
    region: BILLING_REGION,
    topic: billingAlarmTopic.arn,
    protocol: "email",
    endpoint: alarmEmail,
  });
}

type Dimensions = Record<string, $util.Input<string>>;

function metricQuery(id: string, namespace: string, metricName: string, stat: string, dimensions: Dimensions, period = FIVE_MINUTES) {
  return { id, returnData: false, metric: { namespace, metricName, stat, period, dimensions } };
}

function alarm(
  name: string,
  description: string,
  args: Omit<aws.cloudwatch.MetricAlarmArgs, "comparisonOperator" | "alarmDescription">,
) {
  return new aws.cloudwatch.MetricAlarm(name, {
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmDescription: description,
    alarmActions: [alarmTopic.arn],
    okActions: [alarmTopic.arn],
    ...args,
  });
}

/** `ReadThrottleEvents`/`WriteThrottleEvents` of the table and of each GSI (own dimension). */
const throttleQueries = [undefined, ...gsiNames].flatMap((gsi, i) => {
  const dimensions: Dimensions = gsi ? { TableName: tableName, GlobalSecondaryIndexName: gsi } : { TableName: tableName };
  return [
    metricQuery(`r${i}`, "AWS/DynamoDB", "ReadThrottleEvents", "Sum", dimensions),
    metricQuery(`w${i}`, "AWS/DynamoDB", "WriteThrottleEvents", "Sum", dimensions),
  ];
});

export const alarms = {
  api5xx: alarm("Api5xxAlarm", `API 5xx responses > ${alarmThresholds.api5xxPer5Minutes} in 5 minutes`, {
    namespace: apiMetrics.namespace,
    metricName: apiMetrics.serverErrors,
    dimensions: apiMetrics.dimensions,
    statistic: "Sum",
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    threshold: alarmThresholds.api5xxPer5Minutes,
  }),

  lambdaErrorRate: alarm("LambdaErrorRateAlarm", `Lambda error rate > ${alarmThresholds.lambdaErrorRatePercent} % (API and stream functions)`, {
    evaluationPeriods: 1,
    threshold: alarmThresholds.lambdaErrorRatePercent,
    metricQueries: [
      ...functionNames.flatMap((FunctionName, i) => [
        metricQuery(`e${i}`, "AWS/Lambda", "Errors", "Sum", { FunctionName }),
        metricQuery(`i${i}`, "AWS/Lambda", "Invocations", "Sum", { FunctionName }),
      ]),
      { id: "errors", expression: functionNames.map((_, i) => `FILL(e${i}, 0)`).join(" + "), returnData: false },
      { id: "invocations", expression: functionNames.map((_, i) => `FILL(i${i}, 0)`).join(" + "), returnData: false },
      { id: "rate", label: "Error rate (%)", expression: "IF(invocations > 0, 100 * errors / invocations, 0)", returnData: true },
    ],
  }),

  dynamoThrottles: alarm("DynamoThrottlesAlarm", `DynamoDB throttle events > ${alarmThresholds.dynamoThrottlesPer5Minutes} in 5 minutes`, {
    evaluationPeriods: 1,
    threshold: alarmThresholds.dynamoThrottlesPer5Minutes,
    metricQueries: [
      ...throttleQueries,
      {
        id: "throttles",
        label: "Throttle events",
        expression: throttleQueries.map((q) => `FILL(${q.id}, 0)`).join(" + "),
        returnData: true,
      },
    ],
  }),

  apiLatencyP99: alarm("ApiLatencyP99Alarm", `API p99 latency > ${alarmThresholds.apiLatencyP99Milliseconds} ms`, {
    namespace: apiMetrics.namespace,
    metricName: apiMetrics.latency,
    dimensions: apiMetrics.dimensions,
    extendedStatistic: "p99",
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    threshold: alarmThresholds.apiLatencyP99Milliseconds,
  }),

  // Account-wide on purpose: the limit it guards (1,000 by default) is the account's, shared
  // by every function in the region.
  lambdaConcurrency: alarm("LambdaConcurrencyAlarm", `Lambda concurrent executions > ${alarmThresholds.lambdaConcurrentExecutions}`, {
    namespace: "AWS/Lambda",
    metricName: "ConcurrentExecutions",
    statistic: "Maximum",
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    threshold: alarmThresholds.lambdaConcurrentExecutions,
  }),

  // EstimatedCharges is the month-to-date total (account-wide, needs "Receive Billing Alerts"
  // enabled), so a day's spend is its rise over the day; on the 1st it restarts from zero, so
  // a negative rise means "the day's spend is the total".
  dailyCost: alarm("DailyCostAlarm", `Spend > $${alarmThresholds.dailyCostUsd} in a day (account-wide)`, {
    region: BILLING_REGION,
    alarmActions: [billingAlarmTopic.arn],
    okActions: [billingAlarmTopic.arn],
    evaluationPeriods: 2,
    datapointsToAlarm: 1,
    threshold: alarmThresholds.dailyCostUsd,
    metricQueries: [
      metricQuery("total", "AWS/Billing", "EstimatedCharges", "Maximum", { Currency: "USD" }, ONE_DAY),
      { id: "daily", label: "Spend in the day (USD)", expression: "IF(DIFF(total) < 0, total, DIFF(total))", returnData: true },
    ],
  }),

  // What grows is what people upload. S3 publishes storage metrics once a day.
  filesBucketSize: alarm("FilesBucketSizeAlarm", `S3 bucket storage > ${alarmThresholds.filesBucketSizeGiB}GB (the files bucket)`, {
    namespace: "AWS/S3",
    metricName: "BucketSizeBytes",
    dimensions: { BucketName: filesBucketName, StorageType: "StandardStorage" },
    statistic: "Average",
    period: ONE_DAY,
    evaluationPeriods: 1,
    threshold: alarmThresholds.filesBucketSizeGiB * GIB,
  }),

  // Cognito has no failed-sign-in metric of its own, but SignInSuccesses records every
  // sign-in as 1 (tokens issued) or 0 (failed or throttled): failures = SampleCount - Sum.
  cognitoSignInFailures: alarm("CognitoSignInFailuresAlarm", `Failed sign-ins > ${alarmThresholds.cognitoSignInFailuresPer5Minutes} in 5 minutes`, {
    evaluationPeriods: 1,
    threshold: alarmThresholds.cognitoSignInFailuresPer5Minutes,
    metricQueries: [
      metricQuery("attempts", "AWS/Cognito", "SignInSuccesses", "SampleCount", { UserPool: userPool.id, UserPoolClient: userPoolClient.id }),
      metricQuery("successes", "AWS/Cognito", "SignInSuccesses", "Sum", { UserPool: userPool.id, UserPoolClient: userPoolClient.id }),
      { id: "failures", label: "Failed sign-ins", expression: "FILL(attempts, 0) - FILL(successes, 0)", returnData: true },
    ],
  }),

  // Not one of the requirements' eight: any failed run of the hourly recommendations training
  // (its classes stay due and the next run retries them; the log names them).
  recommendationsTraining: alarm("RecommendationsTrainingAlarm", "Recommendations training failed (hourly job, infra/jobs.ts)", {
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: trainingFunctionName },
    statistic: "Sum",
    period: ONE_HOUR,
    evaluationPeriods: 1,
    threshold: 0,
  }),
};

type Widget = { title: string; metrics: unknown[][]; region?: $util.Input<string>; stat?: string; period?: number };

/** Lays widgets out four to a row, 6 x 6 each. */
function widgets(rows: Widget[][]) {
  return rows.flatMap((row, y) =>
    row.map((w, x) => ({
      type: "metric",
      x: x * 6,
      y: y * 6,
      width: 6,
      height: 6,
      properties: {
        view: "timeSeries",
        region,
        period: FIVE_MINUTES,
        stat: "Sum",
        ...w,
      },
    })),
  );
}

/** A dashboard metric of the API's front (API Gateway or the function URL). */
const apiMetric = (metricName: string, options?: Record<string, string>) => [
  apiMetrics.namespace,
  metricName,
  ...Object.entries(apiMetrics.dimensions).flat(),
  ...(options ? [options] : []),
];

const perFunction = (metricName: string, stat: string) =>
  functionNames.map((FunctionName, i) => ["AWS/Lambda", metricName, "FunctionName", FunctionName, { stat, label: i === 0 ? "api" : "stream" }]);

export const dashboard = new aws.cloudwatch.Dashboard("Dashboard", {
  dashboardName: $interpolate`${$app.name}-${$app.stage}`,
  dashboardBody: $jsonStringify({
    widgets: [
      ...widgets([
        [
          { title: "API requests", metrics: [apiMetric(apiMetrics.requests)] },
          {
            title: "API latency (ms)",
            metrics: ["p50", "p95", "p99"].map((stat) => apiMetric(apiMetrics.latency, { stat, label: stat })),
          },
          {
            title: "API errors",
            metrics: [apiMetric(apiMetrics.clientErrors, { label: "4xx" }), apiMetric(apiMetrics.serverErrors, { label: "5xx" })],
          },
          {
            title: "Cognito sign-ins",
            metrics: [
              [{ expression: "attempts - successes", label: "failed", id: "failed" }],
              ["AWS/Cognito", "SignInSuccesses", "UserPool", userPool.id, "UserPoolClient", userPoolClient.id, { stat: "SampleCount", id: "attempts", label: "attempts" }],
              ["AWS/Cognito", "SignInSuccesses", "UserPool", userPool.id, "UserPoolClient", userPoolClient.id, { stat: "Sum", id: "successes", label: "succeeded" }],
            ],
          },
        ],
        [
          { title: "Lambda invocations", metrics: perFunction("Invocations", "Sum") },
          {
            title: "Lambda duration p50 / p99 (ms)",
            metrics: [...perFunction("Duration", "p50"), ...perFunction("Duration", "p99")],
          },
          { title: "Lambda errors", metrics: perFunction("Errors", "Sum") },
          {
            title: "Lambda concurrency",
            metrics: [...perFunction("ConcurrentExecutions", "Maximum"), ["AWS/Lambda", "ConcurrentExecutions", { stat: "Maximum", label: "account" }]],
          },
        ],
        [
          {
            title: "DynamoDB consumed capacity",
            metrics: [
              ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", tableName, { label: "read" }],
              ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", tableName, { label: "write" }],
            ],
          },
          {
            title: "DynamoDB throttles",
            metrics: throttleQueries.map((q) => [
              q.metric.namespace,
              q.metric.metricName,
              ...Object.entries(q.metric.dimensions).flat(),
              { label: `${q.metric.metricName} ${q.metric.dimensions.GlobalSecondaryIndexName ?? "table"}` },
            ]),
          },
          {
            title: "Stream iterator age (ms)",
            metrics: [["AWS/Lambda", "IteratorAge", "FunctionName", streamFunctionName, { stat: "Maximum" }]],
          },
          {
            // Each day's rise of the month-to-date estimate; the 1st shows the monthly reset.
            title: "Daily spend by service (USD)",
            region: BILLING_REGION,
            period: ONE_DAY,
            stat: "Maximum",
            metrics: [[{ expression: `DIFF(SEARCH('{AWS/Billing,Currency,ServiceName} MetricName="EstimatedCharges"', 'Maximum', ${ONE_DAY}))`, id: "spend" }]],
          },
        ],
        [
          {
            title: "Files bucket size (GiB)",
            period: ONE_DAY,
            stat: "Average",
            metrics: [
              [{ expression: `bytes / ${GIB}`, label: "stored", id: "gib" }],
              ["AWS/S3", "BucketSizeBytes", "BucketName", filesBucketName, "StorageType", "StandardStorage", { id: "bytes", visible: false }],
            ],
          },
          {
            title: "Files bucket objects",
            period: ONE_DAY,
            stat: "Average",
            metrics: [["AWS/S3", "NumberOfObjects", "BucketName", filesBucketName, "StorageType", "AllStorageTypes"]],
          },
          {
            title: "Files bucket request errors",
            metrics: [
              ["AWS/S3", "4xxErrors", "BucketName", filesBucketName, "FilterId", FILES_METRICS_FILTER, { label: "4xx" }],
              ["AWS/S3", "5xxErrors", "BucketName", filesBucketName, "FilterId", FILES_METRICS_FILTER, { label: "5xx" }],
            ],
          },
          {
            title: "Files bucket requests",
            metrics: [
              ["AWS/S3", "PostRequests", "BucketName", filesBucketName, "FilterId", FILES_METRICS_FILTER, { label: "uploads" }],
              ["AWS/S3", "GetRequests", "BucketName", filesBucketName, "FilterId", FILES_METRICS_FILTER, { label: "downloads" }],
            ],
          },
        ],
      ]),
      {
        type: "alarm",
        x: 0,
        y: 24,
        width: 24,
        height: 3,
        properties: {
          title: "Alarms",
          // The billing alarm lives in us-east-1; this widget shows the stage region's.
          alarms: Object.entries(alarms)
            .filter(([name, alarm]) => alarm && name !== "dailyCost")
            .map(([, alarm]) => alarm!.arn),
        },
      },
    ],
  }),
});
