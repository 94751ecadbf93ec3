/**
 * Whether a class takes writes, as a pure reading of its stored item. Kept apart from the
 * class module (which imports memberships) so that memberships can use it too.
 */
import { type DomainError, conflict, notFound } from "../errors.ts";
import type { CLASS_STATES } from "./entity.ts";

/** The answer for a class that does not exist and for one the caller is not in: the same, so ids do not leak. */
export const classNotFound = () => notFound("class.not_found", "No class with this id was found.");

export const classArchived = () => conflict("class.archived", "This class is archived, so nothing in it can be changed. A teacher can restore it.");

export const stateOf = (klass: { state?: (typeof CLASS_STATES)[number] | undefined }) => klass.state ?? "active";

/** Why a stored class item refuses writes, if it does: missing or deleted (404) or archived (409). */
export function unwritable(klass: { deleted_at?: string | undefined; state?: (typeof CLASS_STATES)[number] | undefined } | undefined): DomainError | undefined {
  if (!klass || klass.deleted_at) return classNotFound();
  if (stateOf(klass) === "archived") return classArchived();
  return undefined;
}
