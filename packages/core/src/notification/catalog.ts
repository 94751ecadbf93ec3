/**
 * The domain events Classroom publishes and the EventBridge rules that route them to the
 * notifier. Pure data with no imports: the infra creates the bus's rules from `rules`, and
 * the local bus applies the very same patterns (see packages/local/src/event-bus.ts).
 *
 * Events are published on the app's bus with `source` EVENT_SOURCE and `detail-type` the
 * event's name; every detail carries the `event_id` (derived from the stream record, so a
 * redelivered record publishes the same id) and the `class_id`.
 */
export const EVENT_SOURCE = "classroom.events";

export const EVENT_TYPES = [
  "grade.returned",
  "assignment.published",
  "announcement.posted",
  "comment.created",
  "chat.mentioned",
  "member.added",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An EventBridge event pattern (the subset of the syntax Classroom uses, see the local bus). */
export type EventPattern = { [field: string]: EventPattern | ReadonlyArray<unknown> };

export interface EventRule {
  /** The rule's name on the bus (infra) and in the local bus's logs. */
  name: string;
  description: string;
  pattern: EventPattern;
}

/**
 * The rules, each sending what it matches to the notifier. They are split by what they
 * check, so a malformed or unexpected event is dropped by the bus rather than by the notifier:
 * - grades: only a returned grade that is a number (a grade of 0 included);
 * - class activity: every other kind from Classroom's sources, with a class and an event id.
 */
export const rules: readonly EventRule[] = [
  {
    name: "grade-returned",
    description: "A returned grade (the requirements' score update) notifies the student",
    pattern: {
      source: [EVENT_SOURCE],
      "detail-type": ["grade.returned"],
      detail: { assigned_grade: [{ numeric: [">=", 0] }], student_id: [{ exists: true }] },
    },
  },
  {
    name: "class-activity",
    description: "New coursework, announcements, comments, mentions and memberships notify the people concerned",
    pattern: {
      source: [{ prefix: "classroom." }],
      "detail-type": [{ "anything-but": ["grade.returned"] }],
      detail: { class_id: [{ exists: true }], event_id: [{ exists: true }] },
    },
  },
];

/** Notifications are kept this long, then expire (TTL). */
export const NOTIFICATION_TTL_DAYS = 30;
