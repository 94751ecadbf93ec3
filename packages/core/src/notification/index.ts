/**
 * Notifications: delivered once per (event, recipient), read by polling.
 *
 * `deliver` is the notifier's work: for each recipient who has not turned the event's kind
 * off nor muted its class, ONE transaction creates the notification (only if absent: its key
 * comes from the event) and adds 1 to the recipient's unread counter. A repeated delivery
 * fails the condition and changes nothing, so the counter always equals the unread items.
 * Marking read is the reverse, per item: set `read_at` only if unset, and subtract 1.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { attempts, contended, transactionOutcome } from "../dynamo-errors.ts";
import { notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { unreadIn } from "../chat/markers.ts";
import { db } from "../table.ts";
import { EVENT_TYPES, NOTIFICATION_TTL_DAYS } from "./catalog.ts";
import { type DomainEvent, EventType, recipientsOf, render } from "./events.ts";

export { EVENT_SOURCE, EVENT_TYPES, rules, type EventType as EventName } from "./catalog.ts";
export { eventsOf, parseEvent, type DomainEvent } from "./events.ts";

export const Notification = z
  .object({
    notification_id: z.string().meta({ description: "Pass to `POST /notifications/read`" }),
    kind: EventType,
    class_id: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    target: z.object({ type: z.enum(["class", "post", "assignment", "message"]), id: z.string() }).meta({ description: "What the notification is about, to open it" }),
    at: Timestamp,
    read: z.boolean(),
  })
  .meta({ id: "Notification" });
export type Notification = z.output<typeof Notification>;

export const NotificationPage = z
  .object({
    notifications: z.array(Notification).meta({ description: "Newest first" }),
    unread: z.number().int().meta({ description: "How many of your notifications are unread" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next (older) page. null on the last page." }),
  })
  .meta({ id: "NotificationPage" });

/** A notification's id: its time and event id (the key within the recipient's inbox). */
const notificationId = (at: string, event_id: string) => Buffer.from(`${at}|${event_id}`).toString("base64url");
function keyOf(user_id: string, notification_id: string): { user_id: string; at: string; event_id: string } | undefined {
  const [at, event_id, ...rest] = Buffer.from(notification_id, "base64url").toString("utf8").split("|");
  return at && event_id && rest.length === 0 ? { user_id, at, event_id } : undefined;
}

type Stored = { at: string; event_id: string; kind: (typeof EVENT_TYPES)[number]; class_id: string; title: string; body?: string | undefined; target_type: Notification["target"]["type"]; target_id: string; read_at?: string | undefined };

const toNotification = (n: Stored): Notification => ({
  notification_id: notificationId(n.at, n.event_id),
  kind: n.kind,
  class_id: n.class_id,
  title: n.title,
  body: n.body ?? null,
  target: { type: n.target_type, id: n.target_id },
  at: n.at,
  read: n.read_at !== undefined,
});

/** How many unread notifications a person has (one small read). */
export async function unreadCount(user_id: string): Promise<number> {
  const { data } = await db().entities.inbox.get({ user_id }).go({ attributes: ["unread"] });
  return Math.max(0, data?.unread ?? 0);
}

/** The notifier's work for one event: one notification per recipient, exactly once each. Returns how many were new. */
export async function deliver(event: DomainEvent): Promise<number> {
  const recipients = await recipientsOf(event);
  if (recipients.length === 0) return 0;
  const shown = render(event);
  const expires_at = Math.floor(Date.parse(event.detail.at) / 1000) + NOTIFICATION_TTL_DAYS * 86_400;
  const { data: inboxes } = await db().entities.inbox.get(recipients.map((user_id) => ({ user_id }))).go();
  const wants = (user_id: string) => {
    const inbox = inboxes.find((i) => i.user_id === user_id);
    return !inbox?.disabled_kinds?.includes(event.type) && !inbox?.muted_classes?.includes(event.detail.class_id);
  };
  let created = 0;
  for (const user_id of recipients.filter(wants)) {
    for await (const _attempt of attempts()) {
      const result = await db()
        .transaction.write(({ notification, inbox }) => [
          notification
            .create({
              user_id,
              at: event.detail.at,
              event_id: event.detail.event_id,
              kind: event.type,
              class_id: event.detail.class_id,
              title: shown.title,
              ...(shown.body ? { body: shown.body } : {}),
              target_type: shown.target_type,
              target_id: shown.target_id,
              expires_at,
            })
            .commit(),
          inbox.update({ user_id }).add({ unread: 1 }).commit(),
        ])
        .go();
      if (!result.canceled) created++;
      // Created now, or already delivered before (a repeat): either way this recipient is done.
      if (!result.canceled || transactionOutcome(result, ["notification", "inbox"]).failed.has("notification")) break;
    }
  }
  return created;
}

export const Summary = z
  .object({
    unread_notifications: z.number().int(),
    classes: z.array(z.object({ class_id: z.string(), unread_chat: z.number().int().meta({ description: 'Show as "99+" beyond 99' }) })),
  })
  .meta({ id: "InboxSummary" });

/**
 * What the app shell polls: the unread notification count and each class's unread chat count.
 * One Query (my memberships, with their read markers), one BatchGet of those classes' message
 * counters and one GetItem (the inbox), all eventually consistent: 0.5 read units each up to
 * 4 KB, so 1 + 0.5 × classes units when idle (a stale answer only delays a badge by one poll).
 */
export const summary = fn(z.object({}), Summary, async (_input, actor) => {
  const [{ data: memberships }, unread] = await Promise.all([
    db().entities.membership.query.byUser({ user_id: actor.userId }).go({ pages: "all" }),
    unreadCount(actor.userId),
  ]);
  const active = memberships.filter((m) => m.class_state !== "archived");
  const { data: classes } = active.length
    ? await db().entities.class.get(active.map((m) => ({ class_id: m.class_id }))).go({ attributes: ["class_id", "message_count"] })
    : { data: [] };
  const counts = new Map(classes.map((c) => [c.class_id, c.message_count]));
  return {
    unread_notifications: unread,
    classes: active.map((m) => ({ class_id: m.class_id, unread_chat: unreadIn(counts.get(m.class_id), m.read_seq) })),
  };
});

export const ListInput = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
  unread: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .optional()
    .meta({ description: "Only unread ones" }),
});

/**
 * The caller's notifications, newest first; only those of classes they still belong to (a
 * removed member keeps nothing of the class, not even old notifications).
 */
export const list = fn(ListInput, NotificationPage, async ({ limit, cursor, unread }, actor) => {
  const scope = `notifications:${actor.userId}`;
  const before = positionOf(scope, cursor);
  const query = db().entities.notification.query.byUser({ user_id: actor.userId });
  const ranged = before ? query.lt({ at: before.created_at, event_id: before.id }) : query;
  const filtered = unread ? ranged.where((a, op) => op.notExists(a.read_at)) : ranged;
  const [{ data }, count, { data: memberships }] = await Promise.all([
    filtered.go({ order: "desc", limit: limit + 1, count: limit + 1 }),
    unreadCount(actor.userId),
    db().entities.membership.query.byUser({ user_id: actor.userId }).go({ pages: "all", attributes: ["class_id"] }),
  ]);
  const mine = new Set(memberships.map((m) => m.class_id));
  const page = keysetPage(scope, data, limit, (n) => ({ created_at: n.at, id: n.event_id }));
  return { notifications: page.items.filter((n) => mine.has(n.class_id)).map(toNotification), unread: count, cursor: page.cursor };
});

export const MarkReadInput = z.union([
  z.object({ ids: z.array(z.string().min(1).max(300)).min(1).max(100) }),
  z.object({ all: z.literal(true) }),
]);
export const MarkedRead = z.object({ marked: z.number().int(), unread: z.number().int() });

/** Marks some (or all) of the caller's notifications read. Marking one twice changes nothing. */
export const markRead = fn(MarkReadInput, MarkedRead, async (input, actor) => {
  let keys: Array<{ user_id: string; at: string; event_id: string }>;
  if ("ids" in input) {
    keys = input.ids.map((id) => {
      const key = keyOf(actor.userId, id);
      if (!key) throw notFound("notification.not_found", "No notification with this id was found.");
      return key;
    });
  } else {
    const { data } = await db()
      .entities.notification.query.byUser({ user_id: actor.userId })
      .where((a, op) => op.notExists(a.read_at))
      .go({ pages: "all" });
    keys = data.map((n) => ({ user_id: n.user_id, at: n.at, event_id: n.event_id }));
  }
  let marked = 0;
  const read_at = new Date().toISOString();
  for (const key of keys) {
    const result = await db()
      .transaction.write(({ notification, inbox }) => [
        notification.patch(key).set({ read_at }).where((a, op) => op.notExists(a.read_at)).commit(),
        inbox.update({ user_id: actor.userId }).subtract({ unread: 1 }).commit(),
      ])
      .go();
    if (!result.canceled) marked++;
    else if (!transactionOutcome(result, ["notification", "inbox"]).failed.has("notification")) throw contended("notification");
  }
  return { marked, unread: await unreadCount(actor.userId) };
});

export const Preferences = z
  .object({
    disabled_kinds: z.array(EventType).meta({ description: "Kinds of notification you turned off" }),
    muted_classes: z.array(Id).max(500).meta({ description: "Classes you get no notifications from" }),
  })
  .meta({ id: "NotificationPreferences" });

/** The caller's notification preferences. */
export const preferences = fn(z.object({}), Preferences, async (_input, actor) => {
  const { data } = await db().entities.inbox.get({ user_id: actor.userId }).go();
  return { disabled_kinds: [...(data?.disabled_kinds ?? [])].sort(), muted_classes: [...(data?.muted_classes ?? [])].sort() };
});

/** Replaces the caller's notification preferences. */
export const setPreferences = fn(Preferences, Preferences, async (input, actor) => {
  const update = db().entities.inbox.update({ user_id: actor.userId });
  const kinds = [...new Set(input.disabled_kinds)];
  const classes = [...new Set(input.muted_classes)];
  const cleared = [...(kinds.length === 0 ? (["disabled_kinds"] as const) : []), ...(classes.length === 0 ? (["muted_classes"] as const) : [])];
  const set = { ...(kinds.length ? { disabled_kinds: kinds } : {}), ...(classes.length ? { muted_classes: classes } : {}) };
  await (cleared.length ? update.set(set).remove(cleared) : update.set(set)).go();
  return { disabled_kinds: kinds.sort(), muted_classes: classes.sort() };
});
