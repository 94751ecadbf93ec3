/**
 * Reactions: each toggle is ONE conditional UpdateItem that changes the count together with
 * the set of users (`ADD like_count 1, liked_by {me}` only if I am not in `liked_by`, and the
 * reverse), so `like_count == |liked_by|` under any concurrency.
 */
import * as z from "zod";
import { attempts, contended, isConditionFailure } from "../dynamo-errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { touch } from "../class/index.ts";
import { db } from "../table.ts";
import { ReactionResult, ReactionType, messageNotFound, messageRemoved, toMessage, visibleMessage, type StoredMessage } from "./shapes.ts";

export const ReactInput = z.object({
  message_id: Id,
  reaction_type: ReactionType,
});

/**
 * Toggles the actor's like or heart on a message. Read-then-write would race, so each
 * attempt is a single conditional UpdateItem: add me (and +1) only if I am not in the
 * set, remove me (and -1) only if I am. A lost condition means someone (me, in another
 * tab) changed it first: read again and retry.
 */
export const react = fn(ReactInput, ReactionResult, async ({ message_id, reaction_type }, actor) => {
  const { key } = await visibleMessage(message_id, actor);
  const message = db().entities.message;
  const user = actor.userId;

  // Every toggle also requires the message to still stand: a removed message keeps no reactions.
  const toggle = (adding: boolean) => {
    if (reaction_type === "like") {
      return adding
        ? message.patch(key).add({ like_count: 1, liked_by: [user] }).where((a, op) => `${op.notContains(a.liked_by, user)} AND ${op.notExists(a.removed_at)}`)
        : message.patch(key).subtract({ like_count: 1 }).delete({ liked_by: [user] }).where((a, op) => `${op.contains(a.liked_by, user)} AND ${op.notExists(a.removed_at)}`);
    }
    return adding
      ? message.patch(key).add({ heart_count: 1, hearted_by: [user] }).where((a, op) => `${op.notContains(a.hearted_by, user)} AND ${op.notExists(a.removed_at)}`)
      : message.patch(key).subtract({ heart_count: 1 }).delete({ hearted_by: [user] }).where((a, op) => `${op.contains(a.hearted_by, user)} AND ${op.notExists(a.removed_at)}`);
  };

  const { data: current } = await message.get(key).go({ consistent: true });
  if (!current) throw messageNotFound();
  if (current.removed_at) throw messageRemoved();
  let reacted = (reaction_type === "like" ? current.liked_by : current.hearted_by)?.includes(user) ?? false;

  for await (const _attempt of attempts()) {
    try {
      const { data } = await toggle(!reacted).go({ response: "all_new" });
      const { reactions } = toMessage(data as StoredMessage, user);
      await touch(key.class_id);
      return { like_count: reactions.like_count, heart_count: reactions.heart_count, mine: reactions.mine };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone (this user elsewhere) toggled first, or the message expired in between.
      const { data: now } = await message.get(key).go({ consistent: true });
      if (!now) throw messageNotFound();
      if (now.removed_at) throw messageRemoved();
      reacted = (reaction_type === "like" ? now.liked_by : now.hearted_by)?.includes(user) ?? false;
    }
  }
  throw contended("message");
});
