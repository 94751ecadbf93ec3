import { EVENT_SOURCE, rules } from "@classroom/core/notification/catalog";
import { table } from "./storage.ts";

/**
 * Domain events and notifications. The table's stream consumer publishes Classroom's domain
 * events on this bus; one rule per entry of core's notification catalog (the very patterns
 * the local bus applies under `pnpm dev`) sends them to the notifier, which writes one
 * notification per recipient, exactly once.
 *
 * Failures: EventBridge retries delivering to the notifier for a day; the notifier is invoked
 * asynchronously, so Lambda retries a failed invocation twice; what still fails lands in the
 * dead-letter queue with the event, for replay.
 */
export const bus = new sst.aws.Bus("Events");

export const notifierDeadLetters = new sst.aws.Queue("NotifierDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

export const notifier = new sst.aws.Function("Notifier", {
  handler: "packages/api/src/lambda/notifier.handler",
  runtime: "nodejs24.x",
  architecture: "arm64",
  memory: "512 MB",
  timeout: "30 seconds",
  link: [table],
  environment: { CLASSROOM_TABLE: table.name },
  logging: { retention: "1 month" },
  permissions: [
    { actions: ["sqs:SendMessage"], resources: [notifierDeadLetters.arn] },
    { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
  ],
  transform: { function: { tracingConfig: { mode: "Active" } } },
});

new aws.lambda.FunctionEventInvokeConfig("NotifierRetries", {
  functionName: notifier.name,
  maximumRetryAttempts: 2,
  maximumEventAgeInSeconds: 6 * 60 * 60,
  destinationConfig: { onFailure: { destination: notifierDeadLetters.arn } },
});

/** SST writes a pattern's `detail-type` as `detailType`. */
const sstPattern = (pattern: Record<string, unknown>) => {
  const { "detail-type": detailType, ...rest } = pattern;
  return { ...rest, ...(detailType ? { detailType } : {}) } as { source?: string[]; detailType?: string[]; detail?: Record<string, unknown> };
};

export const notificationRules = rules.map((rule) =>
  bus.subscribe(rule.name, notifier.arn, {
    pattern: sstPattern(rule.pattern),
    transform: {
      rule: { description: rule.description },
      target: {
        retryPolicy: { maximumEventAgeInSeconds: 24 * 60 * 60, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: notifierDeadLetters.arn },
      },
    },
  }),
);

/** What the stream consumer needs to publish: the bus's name (and permission, through the link). */
export const publisherEnvironment = { EVENT_BUS_NAME: bus.name, EVENT_SOURCE };
