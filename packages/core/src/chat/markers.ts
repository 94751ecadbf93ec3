/**
 * Read markers: how far each member has read a class's chat. A marker is the `seq` (the
 * class's message counter) of the newest message read, kept on the membership, so the number
 * of unread messages is the class's counter minus the marker: O(1), never a count Query.
 */
import * as z from "zod";
import { isConditionFailure } from "../dynamo-errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { classNotFound, membershipOf } from "../membership/index.ts";
import { db } from "../table.ts";
import { messageNotFound } from "./shapes.ts";

export const MarkReadInput = z.object({
  class_id: Id,
  position: z.iso.datetime({ offset: true }).meta({ description: "The `created_at` of the newest message read" }),
});
export const ReadMarker = z.object({ unread: z.number().int().meta({ description: "Messages of the class still unread after this" }) });

/** Moves the caller's read marker forward to a message (never back). */
export const markRead = fn(MarkReadInput, ReadMarker, async ({ class_id, position }, actor) => {
  const created_at = new Date(position).toISOString();
  const [membership, { data: message }, { data: klass }] = await Promise.all([
    membershipOf(class_id, actor.userId),
    db().entities.message.get({ class_id, created_at }).go({ consistent: true }),
    db().entities.class.get({ class_id }).go({ attributes: ["message_count"] }),
  ]);
  if (!membership || !klass) throw classNotFound();
  if (!message) throw messageNotFound();
  const seq = message.seq ?? 0;
  await db()
    .entities.membership.patch({ class_id, user_id: actor.userId })
    .set({ read_seq: seq })
    .where((a, op) => `${op.notExists(a.read_seq)} OR ${op.lt(a.read_seq, seq)}`)
    .go()
    .catch((error: unknown) => {
      // Already read further (or removed meanwhile): the marker stays where it is.
      if (!isConditionFailure(error)) throw error;
    });
  return { unread: Math.max(0, (klass.message_count ?? 0) - Math.max(seq, membership.read_seq ?? 0)) };
});

/** Unread messages of a class for a member, from the class's counter and their marker. */
export const unreadIn = (message_count: number | undefined, read_seq: number | undefined) => Math.max(0, (message_count ?? 0) - (read_seq ?? 0));
