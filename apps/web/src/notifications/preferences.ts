/**
 * Pure rules of the notification settings: each kind of notification in words a student or a
 * teacher understands, and the preferences the API stores (what is turned off, which classes
 * are muted) changed one switch at a time. The API replaces the whole preferences on save, so
 * each change is computed from the preferences as they stand, keeping everything else.
 */
import type { RouterOutputs } from "@classroom/api";
import { EVENT_TYPES, type EventType } from "@classroom/client";

export type Preferences = RouterOutputs["notification"]["preferences"];
export type NotificationKind = EventType;

/** What each kind is called on the settings screen, and when it comes. Typed against the catalog: a new kind needs its words. */
const KIND_TEXT: Record<NotificationKind, { label: string; description: string }> = {
  "assignment.published": { label: "New assignments", description: "A teacher posts new classwork in one of your classes." },
  "grade.returned": { label: "Returned grades", description: "A teacher returns your work with a grade." },
  "announcement.posted": { label: "Announcements", description: "Someone posts an announcement to a class." },
  "comment.created": { label: "Comments on posts", description: "Someone comments on a post you wrote or commented on." },
  "chat.mentioned": { label: "Mentions in chat", description: "Someone @mentions you in a class chat." },
  "member.added": { label: "Added to a class", description: "You are added to a class." },
};

/** The kinds in the catalog's order, with their words. */
export const NOTIFICATION_KINDS: ReadonlyArray<{ kind: NotificationKind; label: string; description: string }> = EVENT_TYPES.map((kind) => ({
  kind,
  ...KIND_TEXT[kind],
}));

export const isKindOn = (prefs: Preferences, kind: NotificationKind): boolean => !prefs.disabled_kinds.includes(kind);
export const isClassMuted = (prefs: Preferences, classId: string): boolean => prefs.muted_classes.includes(classId);

/** The preferences with one kind turned on or off; everything else as it was. */
export function withKind(prefs: Preferences, kind: NotificationKind, on: boolean): Preferences {
  const others = prefs.disabled_kinds.filter((k) => k !== kind);
  return { ...prefs, disabled_kinds: on ? others : [...others, kind].sort() };
}

/** The preferences with one class muted or not; everything else (classes left since, too) as it was. */
export function withClassMuted(prefs: Preferences, classId: string, muted: boolean): Preferences {
  const others = prefs.muted_classes.filter((c) => c !== classId);
  return { ...prefs, muted_classes: muted ? [...others, classId].sort() : others };
}
