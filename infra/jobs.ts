import { table } from "./storage.ts";

/**
 * Scheduled jobs. The recommendations' training (packages/api/src/lambda/train.ts) runs every
 * hour: it trains each class with new interactions from its own partition (classes are listed
 * from a sparse index, never by scanning the table) and stores each item's neighbours and the
 * class's popular items. A class whose training fails stays due and is retried by the next run
 * (Lambda also retries the failed invocation twice); the invocation fails, so its Errors metric
 * feeds the alarm in monitoring.ts.
 */
export const recommendationsTraining = new sst.aws.Cron("RecommendationsTraining", {
  schedule: "rate(1 hour)",
  function: {
    handler: "packages/api/src/lambda/train.handler",
    runtime: "nodejs24.x",
    architecture: "arm64",
    // Training is in memory: a class's interactions and its items' counters.
    memory: "1024 MB",
    // The handler stops taking classes two minutes before this; the rest wait for the next run.
    timeout: "15 minutes",
    link: [table],
    environment: { CLASSROOM_TABLE: table.name },
    logging: { retention: "1 month" },
    permissions: [{ actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] }],
    transform: { function: { tracingConfig: { mode: "Active" } } },
  },
});

/** The training job's function, for its alarm. */
export const trainingFunction = recommendationsTraining.nodes.function;
