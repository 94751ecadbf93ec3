/** What chat reads and writes return, and the helpers every chat module shares. */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { encodeCursor } from "../cursor.ts";
import { conflict, forbidden, notFound, notFoundAs } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { MESSAGE_TTL_DAYS, REACTION_TYPES } from "../limits.ts";
import { membershipOf } from "../membership/index.ts";
import { POLL_FAST_MS, POLL_SLOW_MS, pollAfterMs } from "../polling.ts";
import { requireWritableClass } from "../class/index.ts";
import { db } from "../table.ts";

export type ReactionType = (typeof REACTION_TYPES)[number];
export const ReactionType = z.enum(REACTION_TYPES, { error: 'must be "like" or "heart"' });

export const Reactions = z.object({
  like_count: z.number().int(),
  heart_count: z.number().int(),
  mine: z.array(ReactionType).meta({ description: "The caller's own reactions" }),
});

export const Message = z
  .object({
    message_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    created_at: Timestamp,
    reactions: Reactions,
    edited_at: Timestamp.nullable().meta({ description: "When the author last edited the text; null if never" }),
    removed: z
      .enum(["author", "teacher"])
      .nullable()
      .meta({ description: "Who removed the message (its text is then empty and it shows as a tombstone); null while it stands" }),
  })
  .meta({ id: "Message" });
export type Message = z.output<typeof Message>;

/** The server's polling hint (see core/src/polling.ts). */
export const PollAfter = z
  .number()
  .int()
  .meta({
    description: `How soon to poll again, in ms: ${POLL_FAST_MS} while the class is active (a message, reaction, post or comment in the last minute), stepping back to ${POLL_SLOW_MS} as it stays quiet. Poll sooner only when your user acts (types, sends, comes back to the page).`,
  });

/** The hint for a class whose last message or other change was at `newest` (an ISO timestamp; undefined: none). */
export function pollHint(newest: string | undefined, now = Date.now()): number {
  return pollAfterMs(newest ? now - Date.parse(newest) : Number.POSITIVE_INFINITY);
}

export const MessagePage = z.object({
  messages: z.array(Message).meta({ description: "Oldest first" }),
  older: z.string().nullable().meta({ description: 'Pass as `cursor` with direction "backward" for the page before these; null when there is none.' }),
  newer: z.string().meta({ description: 'Pass as `cursor` with direction "forward" to get what came after these (the poll cursor). Always set.' }),
  has_more: z.boolean().meta({ description: "More messages exist in the direction asked (beyond this page)." }),
  poll_after_ms: PollAfter.nullable().meta({
    description:
      "Set on a page that reaches the class's newest message (a poll, or the newest page): poll again after this many ms. null on a page with more after it (ask for the next one at once) and on older pages.",
  }),
});
export type MessagePage = z.output<typeof MessagePage>;

export const Poll = MessagePage.extend({
  poll_after_ms: PollAfter,
  activity: z.number().int().meta({ description: "Changes when reactions, posts or comments change: refresh those views when it moves." }),
  unread_notifications: z.number().int().meta({ description: "The caller's unread notifications (the bell's badge)" }),
});
export type Poll = z.output<typeof Poll>;

export const Sent = z.object({
  message_id: z.string(),
  created_at: Timestamp,
  position: z.string().meta({ description: "The poll position right after this message." }),
});
export type Sent = z.output<typeof Sent>;

/** The counts after a toggle, and the actor's own reactions. */
export const ReactionResult = Reactions;
export type ReactionResult = z.output<typeof ReactionResult>;

export const messageNotFound = () => notFound("chat.message_not_found", "No message with this id was found.");
export const messageRemoved = () => conflict("chat.message_removed", "This message was removed.");

/**
 * Locates a live message a member of its class may change (anything else is
 * `chat.message_not_found`; an archived class is 409 `class.archived`): its key, its ref,
 * and the actor's membership of its class.
 */
export async function visibleMessage(messageId: string, actor: Actor) {
  const { data: ref } = await db().entities.messageRef.get({ message_id: messageId }).go({ consistent: true });
  if (!ref || ref.expires_at <= Date.now() / 1000) throw messageNotFound();
  const [membership] = await Promise.all([membershipOf(ref.class_id, actor.userId), requireWritableClass(ref.class_id).catch(notFoundAs(messageNotFound))]);
  if (!membership) throw messageNotFound();
  return { key: { class_id: ref.class_id, created_at: ref.created_at }, ref, membership };
}

/** The cursor scope of a class's chat. */
export const scope = (classId: string) => `chat:${classId}`;

export const positionCursor = (classId: string, position: string) => encodeCursor(scope(classId), position);

export function expiresAt(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + MESSAGE_TTL_DAYS * 24 * 3600;
}

/** A message item as stored (reactions as counts and sets). */
export type StoredMessage = Omit<Message, "reactions" | "edited_at" | "removed"> & {
  edited_at?: string | undefined;
  removed_by_role?: "author" | "teacher" | undefined;
  like_count?: number | undefined;
  heart_count?: number | undefined;
  liked_by?: string[] | undefined;
  hearted_by?: string[] | undefined;
};

export function toMessage(item: StoredMessage, viewer: string): Message {
  const mine: ReactionType[] = [];
  if (item.liked_by?.includes(viewer)) mine.push("like");
  if (item.hearted_by?.includes(viewer)) mine.push("heart");
  return {
    message_id: item.message_id,
    class_id: item.class_id,
    author_id: item.author_id,
    author_name: item.author_name,
    content: item.content,
    created_at: item.created_at,
    reactions: { like_count: item.like_count ?? 0, heart_count: item.heart_count ?? 0, mine },
    edited_at: item.edited_at ?? null,
    removed: item.removed_by_role ?? null,
  };
}

/** Refuses a chat write from a member a teacher has muted, saying until when. */
export function assertNotMuted(membership: { muted_until?: string | undefined }): void {
  if (membership.muted_until && Date.parse(membership.muted_until) > Date.now()) {
    throw forbidden("chat.muted", `A teacher muted you in this chat until ${membership.muted_until}.`);
  }
}
