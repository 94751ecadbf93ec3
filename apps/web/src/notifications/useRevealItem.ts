/**
 * Brings a post or chat message opened from a notification into view and marks it for a
 * moment, once it has loaded (it may not: an old message is not on the first page).
 */
import { useEffect } from "react";

const WAIT_MS = 8000;
const MARK_MS = 2500;

export function useRevealItem(itemId: string | undefined) {
  useEffect(() => {
    if (!itemId) return;
    const selector = `[data-post-id="${CSS.escape(itemId)}"], [data-message-id="${CSS.escape(itemId)}"]`;
    const started = Date.now();
    let unmark: ReturnType<typeof setTimeout> | undefined;
    const timer = setInterval(() => {
      const element = document.querySelector<HTMLElement>(selector);
      if (!element && Date.now() - started < WAIT_MS) return;
      clearInterval(timer);
      if (!element) return;
      element.scrollIntoView({ block: "center" });
      element.classList.add("revealed");
      unmark = setTimeout(() => element.classList.remove("revealed"), MARK_MS);
    }, 200);
    return () => {
      clearInterval(timer);
      clearTimeout(unmark);
    };
  }, [itemId]);
}
