/**
 * Lambda entry point for the notifier: the bus's rules (core's notification catalog) invoke it
 * asynchronously with one event. It writes one notification per recipient, each exactly once
 * (conditional on the event and the recipient), so Lambda's retries and a redelivered event
 * are harmless. A failure is thrown: Lambda retries it, then hands it to the dead-letter queue.
 */
import * as Notification from "@classroom/core/notification";
import type { EventBridgeEvent } from "aws-lambda";
import { logger } from "../log.ts";

export async function handler(event: EventBridgeEvent<string, unknown>): Promise<{ delivered: number }> {
  const parsed = Notification.parseEvent(event["detail-type"], event.detail);
  if (!parsed) {
    // Not ours or malformed: retrying cannot help, so it is logged and dropped.
    logger.warn("notifier: event ignored", { detailType: event["detail-type"], id: event.id });
    return { delivered: 0 };
  }
  return { delivered: await Notification.deliver(parsed) };
}
