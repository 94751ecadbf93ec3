/**
 * One audit event in words for the activity page: who did it (by name, from the member list),
 * what happened, and the text it concerned, when there is one (shortened, shown as text).
 */
import type { RouterOutputs } from "@classroom/api";

export type AuditEvent = RouterOutputs["audit"]["list"]["events"][number];

const MAX_QUOTE = 140;

function text(value: unknown, key: string): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === "string" && found.trim() ? found : undefined;
}

function shorten(value: string): string {
  const oneLine = value.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_QUOTE ? `${oneLine.slice(0, MAX_QUOTE - 1)}…` : oneLine;
}

export interface EventInWords {
  /** Who did it; absent when the change does not say (membership changes, for one). */
  who?: string;
  what: string;
  /** The person the event is about (a member added, removed, muted), when it is not the actor. */
  about?: string;
  /** The words concerned: the text written or edited, or what a removal took away. */
  quote?: string;
}

export function describeEvent(event: AuditEvent, nameOf: (userId: string) => string | undefined): EventInWords {
  const result: EventInWords = { what: event.summary };
  if (event.actor_id) result.who = nameOf(event.actor_id) ?? "A former member";
  const about = text(event.after, "user_name") ?? text(event.before, "user_name");
  if (about && event.entity === "membership") result.about = about;
  const words = text(event.after, "content") ?? text(event.before, "content");
  if (words && event.entity !== "membership") result.quote = shorten(words);
  return result;
}
