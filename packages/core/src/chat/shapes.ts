/** What chat reads and writes return, and the helpers every chat module shares. */
import * as z from "zod";
import { encodeCursor } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { MESSAGE_TTL_DAYS, REACTION_TYPES } from "../limits.ts";

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
  })
  .meta({ id: "Message" });
export type Message = z.output<typeof Message>;

export const MessagePage = z.object({
  messages: z.array(Message).meta({ description: "Oldest first" }),
  older: z.string().nullable().meta({ description: 'Pass as `cursor` with direction "backward" for the page before these; null when there is none.' }),
  newer: z.string().meta({ description: 'Pass as `cursor` with direction "forward" to get what came after these (the poll cursor). Always set.' }),
  has_more: z.boolean().meta({ description: "More messages exist in the direction asked (beyond this page)." }),
});
export type MessagePage = z.output<typeof MessagePage>;

export const Poll = MessagePage.extend({
  activity: z.number().int().meta({ description: "Changes when reactions, posts or comments change: refresh those views when it moves." }),
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

/** The cursor scope of a class's chat. */
export const scope = (classId: string) => `chat:${classId}`;

export const positionCursor = (classId: string, position: string) => encodeCursor(scope(classId), position);

export function expiresAt(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + MESSAGE_TTL_DAYS * 24 * 3600;
}

/** A message item as stored (reactions as counts and sets). */
export type StoredMessage = Omit<Message, "reactions"> & {
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
  };
}
