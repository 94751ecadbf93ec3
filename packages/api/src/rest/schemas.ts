/** Wire shapes of REST responses (snake_case, as the contract documents them). Used for the OpenAPI document and checked by the tests. */
import { REACTION_TYPES } from "@classroom/core/chat";
import { ROLES } from "@classroom/core/membership";
import * as z from "zod";

const Timestamp = z.string().meta({ description: "ISO 8601 time, UTC, millisecond precision", example: "2026-11-25T09:30:00.000Z" });

export const ErrorBody = z
  .object({ error: z.object({ code: z.string().meta({ example: "comment.not_found" }), message: z.string() }) })
  .meta({ id: "Error" });

export const MessageOut = z
  .object({
    message_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    created_at: Timestamp,
    reactions: z.object({
      like_count: z.number().int(),
      heart_count: z.number().int(),
      mine: z.array(z.enum(REACTION_TYPES)).meta({ description: "The caller's own reactions" }),
    }),
  })
  .meta({ id: "Message" });

export const MessageList = z.object({
  messages: z.array(MessageOut).meta({ description: "Oldest first" }),
  lastEvaluatedKey: z.string().nullable().meta({ description: "Opaque; pass back to get the next page. null when this is the last page." }),
});

export const Sent = z.object({ message_id: z.string(), created_at: Timestamp });
export const ReactionCounts = z.object({ like_count: z.number().int(), heart_count: z.number().int() });
export const CommentDeleted = z.object({ message: z.literal("Comment deleted successfully") });

export const ClassSummary = z.object({ class_id: z.string(), name: z.string(), role: z.enum(ROLES) }).meta({ id: "ClassSummary" });
export const ClassDetail = z
  .object({
    class_id: z.string(),
    name: z.string(),
    created_by: z.string(),
    created_at: Timestamp,
    role: z.enum(ROLES),
    message_count: z.number().int(),
  })
  .meta({ id: "Class" });
export const Member = z
  .object({
    class_id: z.string(),
    user_id: z.string(),
    role: z.enum(ROLES),
    user_name: z.string(),
    user_email: z.string().optional(),
    joined_at: Timestamp,
  })
  .meta({ id: "Member" });
export const PostOut = z
  .object({
    post_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    comment_count: z.number().int(),
    created_at: Timestamp,
  })
  .meta({ id: "Post" });
export const CommentOut = z
  .object({
    comment_id: z.string(),
    post_id: z.string(),
    class_id: z.string(),
    author_id: z.string(),
    author_name: z.string(),
    content: z.string(),
    status: z.union([z.literal(0), z.literal(1)]),
    created_at: Timestamp,
  })
  .meta({ id: "Comment" });

export const AuditEventOut = z
  .object({
    event_id: z.string(),
    at: Timestamp,
    entity: z.string(),
    action: z.enum(["insert", "modify", "remove"]),
    actor_id: z.string().optional(),
    summary: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  })
  .meta({ id: "AuditEvent" });

export const DayStatsOut = z
  .object({
    day: z.string().meta({ example: "2026-11-25" }),
    messages_sent: z.number().int(),
    reactions: z.number().int(),
    comments_created: z.number().int(),
    comments_deleted: z.number().int(),
  })
  .meta({ id: "DayStats" });
