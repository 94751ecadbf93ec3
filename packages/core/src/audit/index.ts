/**
 * Audit trail and analytics, fed by the table's stream (NEW_AND_OLD_IMAGES).
 *
 * Stream delivery is at-least-once. Each change is recorded in ONE transaction that creates
 * the audit event (keyed by the stream record's event id, only if absent) and adds the
 * change's deltas to the day's counters. A redelivered record fails the condition, so it
 * changes nothing: no double count.
 */
import * as z from "zod";
import { Cursor, keysetPage, positionOf } from "../cursor.ts";
import { attempts, contended, transactionOutcome } from "../dynamo-errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE, MESSAGE_TTL_DAYS } from "../limits.ts";
import { describeClassChange } from "../class/changes.ts";
import { describeMessageChange } from "../chat/changes.ts";
import { describeCommentChange } from "../comment/changes.ts";
import { describeInvitationChange, describeMembershipChange } from "../membership/changes.ts";
import { describePostChange } from "../post/changes.ts";
import { describeAssignmentChange } from "../assignment/changes.ts";
import { describeSubmissionChange } from "../submission/changes.ts";
import { requireTeacher } from "../membership/index.ts";
import { db } from "../table.ts";
import type { Action, Image, StreamConsumer, TableChange } from "../stream.ts";
import type { ChangeDescriber, Deltas } from "./change.ts";

/**
 * The audited entities, each described by its own domain (one line per domain). Entities
 * not listed (the audit's own items, rate windows, users) are not audited.
 */
const describers: Record<string, ChangeDescriber> = {
  class: describeClassChange,
  membership: describeMembershipChange,
  invitation: describeInvitationChange,
  message: describeMessageChange,
  post: describePostChange,
  comment: describeCommentChange,
  assignment: describeAssignmentChange,
  submission: describeSubmissionChange,
};

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

const ENTITY_FIELD = "__edb_e__";

/** Reads what a stream record means for the audit trail and the counters; undefined for items that are not audited. */
export function describeChange(record: TableChange): Change | undefined {
  const image = record.after ?? record.before;
  const entity = image?.[ENTITY_FIELD];
  const class_id = image?.class_id;
  if (typeof entity !== "string" || typeof class_id !== "string" || class_id === "") return undefined;
  const describe = describers[entity];
  const described = describe?.({ action: record.action, before: record.before, after: record.after });
  if (!described) return undefined;
  const { before, after } = record;
  return {
    event_id: record.event_id,
    at: record.at,
    class_id,
    entity,
    action: record.action,
    ...(described.actor_id ? { actor_id: described.actor_id } : {}),
    summary: described.summary,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    deltas: described.deltas ?? {},
  };
}

/** The audit's work on the stream: each audited change recorded exactly once. */
export const consume: StreamConsumer = async (change) => {
  const described = describeChange(change);
  if (described) await record(described);
};

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
    if (transactionOutcome(result, ["event", "counters"]).failed.has("event")) return false;
  }
  throw contended("class statistics");
}

export const AuditEvent = z
  .object({
    event_id: z.string(),
    at: Timestamp,
    entity: z.string(),
    action: z.enum(["insert", "modify", "remove"]),
    actor_id: z.string().optional(),
    summary: z.string(),
    before: z.unknown().optional().meta({ description: "The item before the change" }),
    after: z.unknown().optional().meta({ description: "The item after the change" }),
  })
  .meta({ id: "AuditEvent" });
export type AuditEvent = z.output<typeof AuditEvent>;

export const AuditPage = z
  .object({
    events: z.array(AuditEvent).meta({ description: "Newest first" }),
    cursor: z.string().nullable().meta({ description: "Opaque; pass back as `cursor` for the next (older) page. null on the last page." }),
  })
  .meta({ id: "AuditPage" });

export const ListInput = z.object({
  class_id: Id,
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
  cursor: Cursor.optional(),
});

/** The class's audit trail, newest first, in pages. Teachers only. */
export const list = fn(ListInput, AuditPage, async ({ class_id, limit, cursor }, actor) => {
  await requireTeacher(class_id, actor);
  const scope = `audit:${class_id}`;
  const before = positionOf(scope, cursor);
  const query = db().entities.auditEvent.query.byClass({ class_id });
  const ranged = before ? query.lt({ at: before.created_at, event_id: before.id }) : query;
  const { data } = await ranged.go({ order: "desc", limit: limit + 1, count: limit + 1 });
  const page = keysetPage(scope, data, limit, (e) => ({ created_at: e.at, id: e.event_id }));
  return {
    events: page.items.map((e) => ({
      event_id: e.event_id,
      at: e.at,
      entity: e.entity,
      action: e.action,
      ...(e.actor_id ? { actor_id: e.actor_id } : {}),
      summary: e.summary,
      ...(e.before ? { before: JSON.parse(e.before) as unknown } : {}),
      ...(e.after ? { after: JSON.parse(e.after) as unknown } : {}),
    })),
    cursor: page.cursor,
  };
});

export const DayStats = z
  .object({
    day: z.string().meta({ example: "2026-11-25" }),
    messages_sent: z.number().int(),
    reactions: z.number().int(),
    comments_created: z.number().int(),
    comments_deleted: z.number().int(),
  })
  .meta({ id: "DayStats" });
export type DayStats = z.output<typeof DayStats>;
export const DayStatsList = z.array(DayStats);

export const StatsInput = z.object({ class_id: Id, days: z.coerce.number().int().min(1).max(366).default(30) });

/** Daily counters of the last `days` days (days without activity are left out). Teachers only. */
export const stats = fn(StatsInput, DayStatsList, async ({ class_id, days }, actor) => {
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
