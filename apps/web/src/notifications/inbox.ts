/**
 * Pure rules of the notification UI: badge counts, where a notification leads, the tab's title,
 * and the summary cache kept in step with what the chat's poll and mark-read calls answer.
 */
import type { RouterOutputs } from "@classroom/api";
import { assignmentHref, classHref, messageHref, postHref } from "../route.ts";

export type Notification = RouterOutputs["notification"]["list"]["notifications"][number];
export type Summary = RouterOutputs["notification"]["summary"];

/** A count for a badge: "99+" beyond 99. */
export function badgeCount(n: number): string {
  return n > 99 ? "99+" : String(n);
}

/** The screen a notification opens. */
export function targetHref(notification: Pick<Notification, "class_id" | "target">): string {
  const { class_id, target } = notification;
  switch (target.type) {
    case "assignment":
      return assignmentHref(class_id, target.id);
    case "post":
      return postHref(class_id, target.id);
    case "message":
      return messageHref(class_id, target.id);
    default:
      return classHref(target.id || class_id);
  }
}

const dueFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

/** The notification's second line; a new assignment's due time in the reader's words. */
export function notificationBody(notification: Pick<Notification, "kind" | "body">): string | null {
  const { kind, body } = notification;
  const due = kind === "assignment.published" && body ? /^Due (.+)$/.exec(body)?.[1] : undefined;
  if (due && !Number.isNaN(Date.parse(due))) return `Due ${dueFormat.format(new Date(due))}`;
  return body;
}

/** Everything unread: notifications and chat messages of every class. */
export function totalUnread(summary: Summary | undefined): number {
  if (!summary) return 0;
  return summary.unread_notifications + summary.classes.reduce((sum, c) => sum + c.unread_chat, 0);
}

export function documentTitle(unread: number, base = "Classroom"): string {
  return unread > 0 ? `(${badgeCount(unread)}) ${base}` : base;
}

/** The summary with a new unread-notification count (the same object when nothing changed). */
export function withUnreadNotifications(summary: Summary | undefined, unread: number): Summary | undefined {
  if (!summary || summary.unread_notifications === unread) return summary;
  return { ...summary, unread_notifications: unread };
}

/** The summary with a class's unread chat count (after marking its chat read). */
export function withUnreadChat(summary: Summary | undefined, class_id: string, unread: number): Summary | undefined {
  if (!summary) return summary;
  const entry = summary.classes.find((c) => c.class_id === class_id);
  if (!entry || entry.unread_chat === unread) return summary;
  return { ...summary, classes: summary.classes.map((c) => (c.class_id === class_id ? { ...c, unread_chat: unread } : c)) };
}
