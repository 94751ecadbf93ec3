/**
 * Opaque, tamper-evident cursors. A cursor names a position inside ONE scope (a class's
 * chat, a post's comments): `base64url(json).base64url(hmac)`. A cursor that was altered,
 * forged, or minted for another scope is rejected with `cursor.invalid`, so a caller can
 * never page into data it may not see, and table keys are never exposed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { badRequest } from "./errors.ts";

export const CURSOR_SECRET_ENV = "CURSOR_SECRET";
const DEV_SECRET = "classroom-local-cursor-secret";

function secret(): string {
  const configured = process.env[CURSOR_SECRET_ENV];
  if (configured) return configured;
  // On Lambda a missing secret is a deployment error: a public default would let anyone forge cursors.
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error(`${CURSOR_SECRET_ENV} is not set`);
  return DEV_SECRET;
}

function sign(body: string): string {
  return createHmac("sha256", secret()).update(body).digest("base64url").slice(0, 22);
}

export function encodeCursor(scope: string, position: string): string {
  const body = Buffer.from(JSON.stringify({ s: scope, p: position })).toString("base64url");
  return `${body}.${sign(body)}`;
}

/** Returns the position, or throws `cursor.invalid` if the cursor is not one we issued for `scope`. */
export function decodeCursor(scope: string, cursor: string): string {
  const invalid = () => badRequest("cursor.invalid", "The cursor is not valid for this list. Start again without one.");
  const [body, mac, ...rest] = cursor.split(".");
  if (!body || !mac || rest.length > 0) throw invalid();
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (
    typeof parsed !== "object" || parsed === null ||
    (parsed as { s?: unknown }).s !== scope ||
    typeof (parsed as { p?: unknown }).p !== "string"
  ) {
    throw invalid();
  }
  return (parsed as { p: string }).p;
}

/** A cursor as a client sends it: bounded before any work is done on it. */
export const Cursor = z.string().min(1).max(512);

/** A position in a list sorted by time, then id (posts, comments). */
export interface Position {
  created_at: string;
  id: string;
}

/** The position a keyset cursor continues from; undefined without a cursor. */
export function positionOf(scope: string, cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  const position = decodeCursor(scope, cursor);
  const separator = position.indexOf("#");
  return { created_at: position.slice(0, separator), id: position.slice(separator + 1) };
}

/**
 * One page of a keyset-paged list: `read` holds up to `limit + 1` items (one more than asked,
 * to learn whether another page follows); the cursor points after the page's last item.
 */
export function keysetPage<T>(scope: string, read: T[], limit: number, position: (item: T) => Position): { items: T[]; cursor: string | null } {
  const items = read.slice(0, limit);
  const last = items[items.length - 1];
  if (read.length <= limit || !last) return { items, cursor: null };
  const { created_at, id } = position(last);
  return { items, cursor: encodeCursor(scope, `${created_at}#${id}`) };
}
