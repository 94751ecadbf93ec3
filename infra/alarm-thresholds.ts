/**
 * The eight alarm thresholds from the requirements, in one place. infra/monitoring.ts builds
 * the alarms from these (each over the window named in the key); infra/test/alarms.test.ts
 * checks the alarms it creates against the requirements' figures.
 */
export const alarmThresholds = {
  /** API Gateway 5xx responses in 5 minutes. */
  api5xxPer5Minutes: 10,
  /** Lambda errors / invocations, in percent, over 5 minutes (API and stream functions). */
  lambdaErrorRatePercent: 5,
  /** DynamoDB read + write throttle events (table and GSIs) in 5 minutes. */
  dynamoThrottlesPer5Minutes: 50,
  /** API Gateway p99 latency, in milliseconds. */
  apiLatencyP99Milliseconds: 2_000,
  /** Lambda concurrent executions, account-wide (the default account limit is 1,000). */
  lambdaConcurrentExecutions: 800,
  /** Spend in one day, in USD. */
  dailyCostUsd: 20,
  /** Size of the files bucket (what people upload), in GiB. */
  filesBucketSizeGiB: 50,
  /** Failed Cognito sign-ins in 5 minutes. */
  cognitoSignInFailuresPer5Minutes: 20,
} as const;
