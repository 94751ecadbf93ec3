import * as z from "zod";
import { ulid } from "ulid";

/** New ids are ULIDs: unique, URL-safe, and sortable by creation time. */
export const newId = (): string => ulid();

/** Any id a client may send: bounded and URL-safe, so keys stay small and paths stay clean. */
export const Id = z.string().trim().min(1, "is required").max(64, "is too long").regex(/^[A-Za-z0-9_-]+$/, "is not a valid id");
