import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alarmThresholds } from "../alarm-thresholds.ts";

describe("alarm thresholds", () => {
  it("are the seed's eight values", () => {
    expect(alarmThresholds).toEqual({
      api5xxPer5Minutes: 10,
      lambdaErrorRatePercent: 5,
      dynamoThrottlesPer5Minutes: 50,
      apiLatencyP99Milliseconds: 2_000,
      lambdaConcurrentExecutions: 800,
      dailyCostUsd: 20,
      webBucketSizeGiB: 50,
      cognitoSignInFailuresPer5Minutes: 20,
    });
  });

  it("are the only thresholds monitoring.ts uses, each by one alarm", () => {
    // monitoring.ts needs SST's globals, so it is read rather than imported.
    const source = readFileSync(new URL("../monitoring.ts", import.meta.url), "utf8");
    const thresholds = [...source.matchAll(/\bthreshold:\s*([^,\n]+)/g)].map((match) => match[1]!.trim());
    const used = thresholds.map((expression) => /^alarmThresholds\.(\w+)\b/.exec(expression)?.[1]);
    expect(used.sort()).toEqual(Object.keys(alarmThresholds).sort());
  });
});
