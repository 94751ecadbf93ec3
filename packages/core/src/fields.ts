/** Field schemas several domains share: user-written text and timestamps. */
import * as z from "zod";

/** Text a person writes (a message, a post, a comment): trimmed, not empty, at most `max` characters. */
export const Content = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => value.trim())
    .refine((value) => value.length > 0, "must not be empty");

/** A point in time as the API writes it. */
export const Timestamp = z.string().meta({ description: "ISO 8601 time, UTC, millisecond precision", example: "2026-11-25T09:30:00.000Z" });
