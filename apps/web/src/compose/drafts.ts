/**
 * Half-written text kept in localStorage, per person and per place (a class's chat, a class's new
 * post, a post's comment), so a reload or a closed tab does not lose it. Cleared on send, and all
 * of a person's drafts when they sign out (school computers are shared).
 */
import { useCallback, useState } from "react";

const PREFIX = "classroom.draft:";

export type DraftPlace = { kind: "chat"; classId: string } | { kind: "post"; classId: string } | { kind: "comment"; postId: string };

export function draftKey(userId: string, place: DraftPlace): string {
  const id = place.kind === "comment" ? place.postId : place.classId;
  return `${PREFIX}${userId}:${place.kind}:${id}`;
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined; // storage blocked by the browser's settings: drafts just are not kept
  }
}

export function readDraft(key: string): string {
  try {
    return storage()?.getItem(key) ?? "";
  } catch {
    return "";
  }
}

export function writeDraft(key: string, text: string): void {
  try {
    if (text.trim()) storage()?.setItem(key, text);
    else storage()?.removeItem(key);
  } catch {
    // Full or blocked storage: the draft lives on screen only.
  }
}

/** Forgets every draft of this person. */
export function clearDrafts(userId: string): void {
  const store = storage();
  if (!store) return;
  const mine = `${PREFIX}${userId}:`;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(mine)) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}

/** A text field's value, kept as a draft under `key` while it is written. */
export function useDraft(key: string): [string, (text: string) => void] {
  const [text, setText] = useState(() => readDraft(key));
  const update = useCallback(
    (next: string) => {
      setText(next);
      writeDraft(key, next);
    },
    [key],
  );
  return [text, update];
}
