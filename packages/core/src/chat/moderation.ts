/**
 * Editing and removing chat messages. A removed message stays in its place as a tombstone
 * (its position, and so every reader's cursor, is untouched): its text is erased, here and in
 * its ref, and its reactions go with it. Both changes move the class's activity counter, so
 * open pages refresh the messages they show at their next poll.
 */
import * as z from "zod";
import { contended, isConditionFailure, transactionOutcome } from "../dynamo-errors.ts";
import { forbidden } from "../errors.ts";
import { Content } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { MAX_MESSAGE_LENGTH } from "../limits.ts";
import { touch } from "../class/index.ts";
import { db } from "../table.ts";
import { Message, assertNotMuted, messageRemoved, toMessage, visibleMessage, type StoredMessage } from "./shapes.ts";

export const EditInput = z.object({ message_id: Id, content: Content(MAX_MESSAGE_LENGTH) });

/** The author edits their message's text (not once it is removed, nor while muted). */
export const edit = fn(EditInput, Message, async ({ message_id, content }, actor) => {
  const { key, ref, membership } = await visibleMessage(message_id, actor);
  if (ref.author_id !== actor.userId) throw forbidden("chat.not_author", "Only the author of this message can edit it.");
  assertNotMuted(membership);
  const { data } = await db()
    .entities.message.patch(key)
    .set({ content, edited_at: new Date().toISOString() })
    .where((a, op) => op.notExists(a.removed_at))
    .go({ response: "all_new" })
    .catch((error: unknown) => {
      if (isConditionFailure(error)) throw messageRemoved();
      throw error;
    });
  await touch(key.class_id);
  return toMessage(data as StoredMessage, actor.userId);
});

export const RemoveInput = z.object({ message_id: Id });

/**
 * Removes a message: its author, or a teacher of the class. Removing it again changes nothing.
 * The message and its ref are erased in one transaction, only if the message still stands.
 */
export const remove = fn(RemoveInput, Message, async ({ message_id }, actor) => {
  const { key, ref, membership } = await visibleMessage(message_id, actor);
  const byAuthor = ref.author_id === actor.userId;
  if (!byAuthor && membership.role !== "teacher") {
    throw forbidden("chat.not_allowed", "Only the author of this message or a teacher of the class can remove it.");
  }
  const removed_at = new Date().toISOString();
  const result = await db()
    .transaction.write(({ message, messageRef }) => [
      message
        .patch(key)
        .set({ content: "", removed_at, removed_by_role: byAuthor ? "author" : "teacher", like_count: 0, heart_count: 0 })
        .remove(["liked_by", "hearted_by", "edited_at"])
        .where((a, op) => op.notExists(a.removed_at))
        .commit(),
      messageRef.patch({ message_id }).set({ content: "" }).commit(),
    ])
    .go();
  if (result.canceled && !transactionOutcome(result, ["message", "ref"]).failed.has("message")) throw contended("message");
  if (!result.canceled) await touch(key.class_id);
  const { data } = await db().entities.message.get(key).go({ consistent: true });
  return toMessage(data as StoredMessage, actor.userId);
});
