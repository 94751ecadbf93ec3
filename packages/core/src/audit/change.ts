/**
 * What a table change means for the audit trail and the daily counters, as each domain
 * describes its own entities. Type-only for the domains (they export a `ChangeDescriber`);
 * the audit module keeps the list of them.
 */
import type { Action, Image } from "../stream.ts";

export interface Deltas {
  messages_sent?: number;
  reactions?: number;
  comments_created?: number;
  comments_deleted?: number;
}

/** A change to one item, from the stream: its images before and after. */
export interface ItemChange {
  action: Action;
  before?: Image | undefined;
  after?: Image | undefined;
}

/** How a domain reads one change of its entity; `undefined` means "not worth recording". */
export interface Described {
  summary: string;
  actor_id?: string | undefined;
  deltas?: Deltas;
}
export type ChangeDescriber = (change: ItemChange) => Described | undefined;

/** A string field of an image, if present. */
export const field = (image: Image | undefined, name: string): string | undefined =>
  typeof image?.[name] === "string" && image[name] !== "" ? (image[name] as string) : undefined;

/** A number field of an image, 0 when absent. */
export const count = (image: Image | undefined, name: string): number =>
  typeof image?.[name] === "number" ? (image[name] as number) : 0;

/** A string set field of an image (the stream gives a Set, JSON an array). */
export const members = (image: Image | undefined, name: string): string[] => {
  const value = image?.[name];
  return value instanceof Set ? [...value].map(String) : Array.isArray(value) ? value.map(String) : [];
};
