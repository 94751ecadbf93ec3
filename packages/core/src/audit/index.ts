/**
 * Audit trail and analytics, fed by the table's stream (NEW_AND_OLD_IMAGES).
 *
 * Stream delivery is at-least-once. Each change is recorded in ONE transaction that creates
 * the audit event (keyed by the stream record's event id, only if absent) and adds the
 * change's deltas to the day's counters. A redelivered record fails the condition, so it
 * changes nothing: no double count.
 */
import * as z from "zod";
import { attempts, cancellationCodes, contended } from "../dynamo-errors.ts";
import { MESSAGE_TTL_DAYS } from "../chat/index.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { requireTeacher } from "../membership/index.ts";
import { db } from "../table.ts";

export type Action = "insert" | "modify" | "remove";
export type Image = Record<string, unknown>;

export interface Deltas {
  messages_sent?: number;
  reactions?: number;
  comments_created?: number;
  comments_deleted?: number;
}

export interface Change {
  event_id: string;
  at: string;
  class_id: string;
  entity: string;
  action: Action;
  actor_id?: string;
  summary: string;
  before?: Image;
  after?: Image;
  deltas: Deltas;
}

/** Entities whose changes are audited. The audit's own items are not (that would loop). */
const AUDITED = new Set(["class", "membership", "message", "post", "comment"]);
const ENTITY_FIELD = "__edb_e__";

const count = (image: Image | undefined, field: string) => (typeof image?.[field] === "number" ? (image[field] as number) : 0);
const members = (image: Image | undefined, field: string) => {
  const value = image?.[field];
  return value instanceof Set ? [...value].map(String) : Array.isArray(value) ? value.map(String) : [];
};

/** Reads what a stream record means for the audit trail and the counters; undefined for items that are not audited. */
export function describeChange(record: { event_id: string; action: Action; at: string; before?: Image; after?: Image }): Change | undefined {
  const image = record.after ?? record.before;
  const entity = image?.[ENTITY_FIELD];
  const class_id = image?.class_id;
  if (typeof entity !== "string" || !AUDITED.has(entity) || typeof class_id !== "string" || class_id === "") return undefined;
  const { before, after, action } = record;
  // The class item also carries the chat's sequence and activity counters; those changes are
  // bookkeeping for the messages and reactions that are audited themselves.
  if (entity === "class" && action === "modify" && before?.name === after?.name) return undefined;
  // Messages are only ever removed by their TTL; recording that would copy expired text again.
  if (entity === "message" && action === "remove") return undefined;
  const deltas: Deltas = {};
  let actor_id: string | undefined;
  let summary = `${entity} ${action}`;

  if (entity === "message") {
    if (action === "insert") {
      deltas.messages_sent = 1;
      actor_id = String(after?.author_id ?? "");
      summary = "message sent";
    } else if (action === "modify") {
      const net = count(after, "like_count") + count(after, "heart_count") - count(before, "like_count") - count(before, "heart_count");
      if (net !== 0) deltas.reactions = net;
      for (const field of ["liked_by", "hearted_by"]) {
        const was = new Set(members(before, field));
        const now = new Set(members(after, field));
        const changed = [...now].find((u) => !was.has(u)) ?? [...was].find((u) => !now.has(u));
        if (changed) actor_id = changed;
      }
      summary = net >= 0 ? "reaction added" : "reaction removed";
    }
  } else if (entity === "comment") {
    if (action === "insert") {
      deltas.comments_created = 1;
      actor_id = String(after?.author_id ?? "");
      summary = "comment created";
    } else if (action === "modify" && before?.status === 1 && after?.status === 0) {
      deltas.comments_deleted = 1;
      actor_id = String(after?.deleted_by ?? "");
      summary = "comment deleted";
    }
  } else if (entity === "post" && action === "insert") {
    actor_id = String(after?.author_id ?? "");
    summary = "post created";
  } else if (entity === "membership") {
    summary = action === "insert" ? "member added" : action === "remove" ? "member removed" : "member role changed";
  } else if (entity === "class" && action === "insert") {
    actor_id = String(after?.created_by ?? "");
    summary = "class created";
  }
  return {
    event_id: record.event_id,
    at: record.at,
    class_id,
    entity,
    action,
    ...(actor_id ? { actor_id } : {}),
    summary,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    deltas,
  };
}

/** Internal bookkeeping a reader need not see in before/after. */
function publicImage(image: Image | undefined): string | undefined {
  if (!image) return undefined;
  const shown: Image = {};
  for (const [key, value] of Object.entries(image)) {
    if (key.startsWith("__edb_") || key === "pk" || key === "sk" || key.startsWith("gsi")) continue;
    shown[key] = value instanceof Set ? [...value] : value;
  }
  return JSON.stringify(shown);
}

/** Records one change exactly once, however often it is delivered. Returns false for a repeat. */
export async function record(change: Change): Promise<boolean> {
  const day = change.at.slice(0, 10);
  const deltas = Object.entries(change.deltas).filter(([, value]) => value !== 0) as Array<[keyof Deltas, number]>;
  for await (const _attempt of attempts()) {
    const before = publicImage(change.before);
    const after = publicImage(change.after);
    const result = await db()
      .transaction.write(({ auditEvent, classStats }) => [
        auditEvent
          .create({
            class_id: change.class_id,
            at: change.at,
            event_id: change.event_id,
            entity: change.entity,
            action: change.action,
            ...(change.actor_id ? { actor_id: change.actor_id } : {}),
            summary: change.summary,
            ...(before ? { before } : {}),
            ...(after ? { after } : {}),
            expires_at: Math.floor(Date.parse(change.at) / 1000) + MESSAGE_TTL_DAYS * 86_400,
          })
          .commit(),
        ...(deltas.length > 0
          ? [classStats.update({ class_id: change.class_id, day }).add(Object.fromEntries(deltas)).commit()]
          : []),
      ])
      .go();
    if (!result.canceled) return true;
    if (cancellationCodes(result)[0] === "ConditionalCheckFailed") return false;
  }
  throw contended("class statistics");
}

export interface AuditEvent {
  event_id: string;
  at: string;
  entity: string;
  action: Action;
  actor_id?: string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

export const ListInput = z.object({ class_id: Id, limit: z.coerce.number().int().min(1).max(100).default(50) });

/** The class's audit trail, newest first. Teachers only. */
export const list = fn(ListInput, async ({ class_id, limit }, actor): Promise<AuditEvent[]> => {
  await requireTeacher(class_id, actor);
  const { data } = await db().entities.auditEvent.query.byClass({ class_id }).go({ order: "desc", limit, count: limit });
  return data.map((e) => ({
    event_id: e.event_id,
    at: e.at,
    entity: e.entity,
    action: e.action,
    ...(e.actor_id ? { actor_id: e.actor_id } : {}),
    summary: e.summary,
    ...(e.before ? { before: JSON.parse(e.before) as unknown } : {}),
    ...(e.after ? { after: JSON.parse(e.after) as unknown } : {}),
  }));
});

export interface DayStats {
  day: string;
  messages_sent: number;
  reactions: number;
  comments_created: number;
  comments_deleted: number;
}

export const StatsInput = z.object({ class_id: Id, days: z.coerce.number().int().min(1).max(366).default(30) });

/** Daily counters of the last `days` days (days without activity are left out). Teachers only. */
export const stats = fn(StatsInput, async ({ class_id, days }, actor): Promise<DayStats[]> => {
  await requireTeacher(class_id, actor);
  const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const { data } = await db().entities.classStats.query.byClass({ class_id }).gte({ day: from }).go({ pages: "all" });
  return data.map((d) => ({
    day: d.day,
    messages_sent: d.messages_sent ?? 0,
    reactions: d.reactions ?? 0,
    comments_created: d.comments_created ?? 0,
    comments_deleted: d.comments_deleted ?? 0,
  }));
});
