/**
 * Classroom's domain events, each defined once: its detail (zod), how it is read from a table
 * change (the stream), who receives it, and what their notification says.
 *
 * Flow: table stream → `eventsOf(change)` → EventBridge (PutEvents) → the bus's rules
 * (catalog.ts) → the notifier → `deliver(event)` writes one notification per recipient.
 * Every step is at-least-once; `event_id` (the stream record's id and the event's type) and
 * `at` (the record's time) are fixed at the source, so a repeat lands on the same item.
 */
import * as z from "zod";
import { field } from "../audit/change.ts";
import { db } from "../table.ts";
import type { TableChange } from "../stream.ts";
import { EVENT_TYPES, type EventType as EventName } from "./catalog.ts";

const Common = { event_id: z.string(), class_id: z.string(), at: z.string() };

export const details = {
  "grade.returned": z.object({ ...Common, assignment_id: z.string(), student_id: z.string(), assigned_grade: z.number(), max_points: z.number().nullable(), title: z.string() }),
  "assignment.published": z.object({ ...Common, assignment_id: z.string(), title: z.string(), due_at: z.string().nullable() }),
  "announcement.posted": z.object({ ...Common, post_id: z.string(), author_id: z.string(), author_name: z.string(), excerpt: z.string() }),
  "comment.created": z.object({ ...Common, post_id: z.string(), comment_id: z.string(), created_at: z.string(), author_id: z.string(), author_name: z.string(), excerpt: z.string() }),
  "chat.mentioned": z.object({ ...Common, message_id: z.string(), author_id: z.string(), author_name: z.string(), mentioned: z.array(z.string()).min(1), excerpt: z.string() }),
  "member.added": z.object({ ...Common, user_id: z.string(), class_name: z.string(), role: z.string() }),
} satisfies Record<EventName, z.ZodType>;

export type EventDetail<K extends EventName> = z.output<(typeof details)[K]>;
export type DomainEvent = { [K in EventName]: { type: K; detail: EventDetail<K> } }[EventName];

export const EventType = z.enum(EVENT_TYPES);

const excerpt = (text: unknown, length = 140) => {
  const value = typeof text === "string" ? text.replace(/\s+/g, " ").trim() : "";
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
};

const ENTITY = "__edb_e__";

/**
 * The domain events a table change stands for (most changes stand for none). Reads what it
 * needs beyond the images (an assignment's title, the class's members for @mentions).
 */
export async function eventsOf(change: TableChange): Promise<DomainEvent[]> {
  const { before, after, action } = change;
  const image = after ?? before;
  const entity = image?.[ENTITY];
  const class_id = field(image, "class_id");
  if (!class_id || typeof entity !== "string") return [];
  const base = (type: EventName) => ({ event_id: `${change.event_id}:${type}`, class_id, at: change.at });

  if (entity === "submission" && action === "modify" && after?.state === "returned" && typeof after.assigned_grade === "number") {
    const newlyReturned = before?.state !== "returned" || before.assigned_grade !== after.assigned_grade;
    if (!newlyReturned) return [];
    const assignment_id = String(after.assignment_id);
    const { data } = await db().entities.assignment.get({ assignment_id }).go();
    if (!data || data.deleted_at) return [];
    return [
      {
        type: "grade.returned",
        detail: { ...base("grade.returned"), assignment_id, student_id: String(after.student_id), assigned_grade: after.assigned_grade, max_points: data.max_points ?? null, title: data.title },
      },
    ];
  }
  if (entity === "assignment" && after?.state === "published" && before?.state !== "published" && !after.deleted_at) {
    return [
      {
        type: "assignment.published",
        detail: { ...base("assignment.published"), assignment_id: String(after.assignment_id), title: String(after.title), due_at: field(after, "due_at") ?? null },
      },
    ];
  }
  if (entity === "post" && action === "insert" && after?.kind === "announcement") {
    return [
      {
        type: "announcement.posted",
        detail: { ...base("announcement.posted"), post_id: String(after.post_id), author_id: String(after.author_id), author_name: String(after.author_name), excerpt: excerpt(after.content) },
      },
    ];
  }
  if (entity === "comment" && action === "insert" && after) {
    return [
      {
        type: "comment.created",
        detail: {
          ...base("comment.created"),
          post_id: String(after.post_id),
          comment_id: String(after.comment_id),
          created_at: String(after.created_at),
          author_id: String(after.author_id),
          author_name: String(after.author_name),
          excerpt: excerpt(after.content),
        },
      },
    ];
  }
  if (entity === "message" && action === "insert" && typeof after?.content === "string" && after.content.includes("@")) {
    const mentioned = await mentionsIn(class_id, after.content, String(after.author_id));
    if (mentioned.length === 0) return [];
    return [
      {
        type: "chat.mentioned",
        detail: { ...base("chat.mentioned"), message_id: String(after.message_id), author_id: String(after.author_id), author_name: String(after.author_name), mentioned, excerpt: excerpt(after.content) },
      },
    ];
  }
  if (entity === "membership" && action === "insert" && after) {
    // The teacher who creates a class joins it in the same transaction: nothing to tell them.
    const { data: klass } = await db().entities.class.get({ class_id }).go({ attributes: ["created_by"] });
    if (klass?.created_by === after.user_id) return [];
    return [
      {
        type: "member.added",
        detail: { ...base("member.added"), user_id: String(after.user_id), class_name: String(after.class_name), role: String(after.role) },
      },
    ];
  }
  return [];
}

/** The members named `@Their Name` (or `@First`, when only one member has that first name) in a message, not its author. */
async function mentionsIn(class_id: string, content: string, author: string): Promise<string[]> {
  const { data } = await db().entities.membership.query.byClass({ class_id }).go({ pages: "all" });
  const text = content.toLowerCase();
  const found = new Set<string>();
  const firstNames = new Map<string, string[]>();
  for (const m of data) {
    const first = m.user_name.split(/\s+/)[0]!.toLowerCase();
    firstNames.set(first, [...(firstNames.get(first) ?? []), m.user_id]);
  }
  const mentions = (name: string) => new RegExp(`(^|[^\\w@])@${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w])`, "u").test(text);
  for (const m of data) {
    const full = m.user_name.toLowerCase();
    const first = full.split(/\s+/)[0]!;
    if (mentions(full) || (firstNames.get(first)?.length === 1 && mentions(first))) found.add(m.user_id);
  }
  found.delete(author);
  return [...found].sort();
}

/** Who receives an event: resolved when it is delivered, so it reflects the class at that moment. */
export async function recipientsOf(event: DomainEvent): Promise<string[]> {
  const members = async (role?: "student") => {
    const { data } = await db().entities.membership.query.byClass({ class_id: event.detail.class_id }).go({ pages: "all" });
    return data.filter((m) => !role || m.role === role).map((m) => m.user_id);
  };
  switch (event.type) {
    case "grade.returned":
      return (await members()).includes(event.detail.student_id) ? [event.detail.student_id] : [];
    case "assignment.published":
      return members("student");
    case "announcement.posted":
      return (await members()).filter((id) => id !== event.detail.author_id);
    case "comment.created": {
      const { detail } = event;
      const [{ data: post }, { data: earlier }, inClass] = await Promise.all([
        db().entities.post.get({ post_id: detail.post_id }).go(),
        db().entities.comment.query.byPost({ post_id: detail.post_id }).lt({ created_at: detail.created_at, comment_id: detail.comment_id }).go({ pages: "all" }),
        members(),
      ]);
      const people = new Set([...(post ? [post.author_id] : []), ...earlier.map((c) => c.author_id)]);
      people.delete(detail.author_id);
      return [...people].filter((id) => inClass.includes(id));
    }
    case "chat.mentioned": {
      const inClass = await members();
      return event.detail.mentioned.filter((id) => inClass.includes(id));
    }
    case "member.added":
      return [event.detail.user_id];
  }
}

/** What a notification of this event says, and what it opens. */
export function render(event: DomainEvent): { title: string; body?: string; target_type: "class" | "post" | "assignment" | "message"; target_id: string } {
  switch (event.type) {
    case "grade.returned": {
      const { assigned_grade, max_points, title, assignment_id } = event.detail;
      return { title: `Grade returned: ${title}`, body: max_points === null ? `${assigned_grade}` : `${assigned_grade} / ${max_points}`, target_type: "assignment", target_id: assignment_id };
    }
    case "assignment.published":
      return {
        title: `New assignment: ${event.detail.title}`,
        ...(event.detail.due_at ? { body: `Due ${event.detail.due_at}` } : {}),
        target_type: "assignment",
        target_id: event.detail.assignment_id,
      };
    case "announcement.posted":
      return { title: `Announcement from ${event.detail.author_name}`, body: event.detail.excerpt, target_type: "post", target_id: event.detail.post_id };
    case "comment.created":
      return { title: `${event.detail.author_name} commented`, body: event.detail.excerpt, target_type: "post", target_id: event.detail.post_id };
    case "chat.mentioned":
      return { title: `${event.detail.author_name} mentioned you`, body: event.detail.excerpt, target_type: "message", target_id: event.detail.message_id };
    case "member.added":
      return { title: `You were added to ${event.detail.class_name}`, body: `as a ${event.detail.role}`, target_type: "class", target_id: event.detail.class_id };
  }
}

/** Parses an event as the notifier receives it (detail-type + detail); undefined when it is not one of ours. */
export function parseEvent(type: string, detail: unknown): DomainEvent | undefined {
  const kind = EventType.safeParse(type);
  if (!kind.success) return undefined;
  const parsed = details[kind.data].safeParse(detail);
  return parsed.success ? ({ type: kind.data, detail: parsed.data } as DomainEvent) : undefined;
}
