import { EVENT_SOURCE, EVENT_TYPES, rules } from "@classroom/core/notification/catalog";
import { beforeAll, describe, expect, it } from "vitest";
import { type Infra, loadInfra, reference } from "./fake-sst.ts";

/** The events bus and the notifier, as the infra asks AWS for them. */
let infra: Infra;

beforeAll(async () => {
  infra = await loadInfra();
});

describe("the events bus", () => {
  it("has one rule per entry of core's catalog, with the very patterns the local bus applies, all sent to the notifier", () => {
    const subscriptions = infra.callsOf("Events", "subscribe");
    expect(subscriptions.map((c) => c.args[0])).toEqual(rules.map((r) => r.name));
    for (const [i, rule] of rules.entries()) {
      const [, target, args] = subscriptions[i]!.args;
      expect(target).toBe(reference("Notifier.arn"));
      // SST spells `detail-type` as `detailType`; everything else is passed as written.
      const { "detail-type": detailType, ...rest } = rule.pattern;
      expect(args.pattern).toEqual({ ...rest, detailType });
      expect(args.transform.target.deadLetterConfig).toEqual({ arn: reference("NotifierDeadLetters.arn") });
    }
  });

  it("routes every event Classroom publishes, from its own source", () => {
    const types = rules.flatMap((r) => (r.pattern["detail-type"] as unknown[]) ?? []);
    expect(types).toContain("grade.returned");
    expect(types).toContainEqual({ "anything-but": ["grade.returned"] });
    expect(EVENT_TYPES).toContain("grade.returned");
    expect(rules.every((r) => JSON.stringify(r.pattern.source).includes("classroom."))).toBe(true);
    expect(EVENT_SOURCE.startsWith("classroom.")).toBe(true);
  });

  it("retries a failed notifier twice, then keeps the event in a dead-letter queue; the stream consumer may publish", () => {
    const retries = infra.resource("aws.lambda.FunctionEventInvokeConfig", "NotifierRetries").args;
    expect(retries.maximumRetryAttempts).toBe(2);
    expect(retries.destinationConfig.onFailure.destination).toBe(reference("NotifierDeadLetters.arn"));
    const consumer = infra.callsOf("Table", "subscribe")[0]!.args[1];
    expect(consumer.link).toContain(reference("Events"));
    expect(consumer.environment.EVENT_BUS_NAME).toBe(reference("Events.name"));
  });
});
