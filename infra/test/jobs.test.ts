import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, metricsOf } from "./cloudwatch.ts";
import { type Infra, loadInfra, reference } from "./fake-sst.ts";

/** The scheduled jobs as the infra asks AWS for them, and the alarm on their failures. */
let infra: Infra;

beforeAll(async () => {
  infra = await loadInfra();
});

describe("the recommendations' training job", () => {
  it("runs the training handler every hour, linked to the table", () => {
    const { args } = infra.resource("sst.aws.Cron", "RecommendationsTraining");
    expect(args.schedule).toBe("rate(1 hour)");
    expect(args.function).toMatchObject({
      handler: "packages/api/src/lambda/train.handler",
      timeout: "15 minutes",
      link: [reference("Table")],
      environment: { CLASSROOM_TABLE: reference("Table.name") },
    });
    expect(existsSync(new URL("../../packages/api/src/lambda/train.ts", import.meta.url))).toBe(true);
  });

  it("raises an alarm on any failed run within the hour", () => {
    const found = infra.ofType("aws.cloudwatch.MetricAlarm").filter((alarm) => alarm.name === "RecommendationsTrainingAlarm");
    expect(found).toHaveLength(1);
    const alarm = found[0]!.args;
    expect(alarm.alarmActions).toEqual([reference("Alarms.arn")]);
    expect(metricsOf(alarm)).toEqual([
      {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        stat: "Sum",
        period: 3_600,
        dimensions: { FunctionName: reference("RecommendationsTraining.nodes.function.name") },
      },
    ]);
    const errors = (...datapoints: number[]) => evaluate(alarm, () => datapoints);
    expect(errors(1)).toBe("ALARM");
    expect(errors(0)).toBe("OK");
    expect(evaluate(alarm, () => undefined)).toBe("OK");
  });
});
