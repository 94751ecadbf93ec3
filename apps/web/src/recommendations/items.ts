/**
 * Pure rules of the recommendation panels: where an entry leads, how it is described, and when
 * a post counts as opened. The API lists only items the reader may see now (core decides
 * that); these rules only present them.
 */
import type { RouterOutputs } from "@classroom/api";
import { assignmentHref, postHref } from "../route.ts";

export type Recommendations = RouterOutputs["recommendation"]["similar"];
export type RecommendedItem = Recommendations["items"][number];
export type ItemType = RecommendedItem["item_type"];
export interface ItemRef {
  item_type: ItemType;
  item_id: string;
}

/** Recommendations are retrained hourly: one read per item and class for half an hour is plenty. */
export const RECOMMENDATIONS_STALE_MS = 30 * 60_000;
/** How many entries a panel shows. */
export const PANEL_SIZE = 5;

/**
 * The page an entry opens. A file has no page of its own (it is downloaded), so it has no href;
 * the panel offers it as a download instead.
 */
export function itemHref(classId: string, item: ItemRef): string | undefined {
  switch (item.item_type) {
    case "assignment":
      return assignmentHref(classId, item.item_id);
    case "post":
      return postHref(classId, item.item_id);
    case "file":
      return undefined;
  }
}

const KIND_LABEL: Record<ItemType, string> = { assignment: "Assignment", post: "Post", file: "File" };

export const kindLabel = (item: ItemRef): string => KIND_LABEL[item.item_type];

/** A short line under an entry's title: what it is, and why it is suggested. */
export function entryNote(item: RecommendedItem): string {
  return item.reason === "popular" ? `${kindLabel(item)} · popular in this class` : kindLabel(item);
}

/** The entries worth showing: never the item the panel sits on, each item once. */
export function entriesOf(data: Recommendations | undefined, exclude?: ItemRef): RecommendedItem[] {
  if (!data) return [];
  const seen = new Set<string>();
  const key = (i: ItemRef) => `${i.item_type}:${i.item_id}`;
  if (exclude) seen.add(key(exclude));
  return data.items.filter((item) => {
    if (seen.has(key(item))) return false;
    seen.add(key(item));
    return true;
  });
}

/** Whether the address bar points at this post (a link to it: from a notification, a recommendation, a shared URL). */
export function isLinkedPost(hash: string, classId: string, postId: string): boolean {
  return hash.replace(/\/$/, "") === postHref(classId, postId);
}
