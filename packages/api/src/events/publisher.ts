/**
 * Publishes domain events to the app's EventBridge bus: a stream consumer. `EVENT_BUS_NAME`
 * names the bus (set by the infra, and by the local stack, whose bus speaks the same PutEvents
 * API at `EVENTBRIDGE_ENDPOINT`); without it nothing is published.
 *
 * PutEvents is at-least-once and can fail per entry: failed entries are sent again (a few
 * times, then the record fails and the stream redelivers it). A redelivered record publishes
 * the same event ids; the notifier's conditional writes make the repeat harmless.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import * as Notification from "@classroom/core/notification";
import type { StreamConsumer } from "@classroom/core/stream";

export const EVENT_BUS_ENV = "EVENT_BUS_NAME";
export const EVENTBRIDGE_ENDPOINT_ENV = "EVENTBRIDGE_ENDPOINT";
/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;
const ATTEMPTS = 3;

let client: EventBridgeClient | undefined;

function eventBridge(): EventBridgeClient {
  const endpoint = process.env[EVENTBRIDGE_ENDPOINT_ENV];
  client ??= new EventBridgeClient(
    endpoint ? { endpoint, region: process.env.AWS_REGION ?? "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {},
  );
  return client;
}

/** Sends entries in batches of ten, sending failed entries again; throws if some still fail. */
export async function putEvents(entries: PutEventsRequestEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += BATCH) {
    let pending = entries.slice(start, start + BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await eventBridge().send(new PutEventsCommand({ Entries: pending }));
      if (!result.FailedEntryCount) break;
      const failed = pending.filter((_, i) => result.Entries?.[i]?.ErrorCode);
      if (attempt >= ATTEMPTS) throw new Error(`PutEvents: ${failed.length} entries failed (${result.Entries?.find((e) => e.ErrorCode)?.ErrorCode})`);
      pending = failed;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/** The stream consumer: the domain events a change stands for, onto the bus. */
export const publishEvents: StreamConsumer = async (change) => {
  const bus = process.env[EVENT_BUS_ENV];
  if (!bus) return;
  const events = await Notification.eventsOf(change);
  if (events.length === 0) return;
  await putEvents(
    events.map((event) => ({
      EventBusName: bus,
      Source: Notification.EVENT_SOURCE,
      DetailType: event.type,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.detail.at),
    })),
  );
};
