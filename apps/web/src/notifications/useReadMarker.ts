/**
 * Moves my read marker in a class's chat to the newest message once it is on screen: in view
 * in the chat's scroller (not scrolled away, not in a hidden section) while the tab is visible.
 * The class's unread badge follows from the answer.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type RefObject, useEffect, useRef } from "react";
import type { TimelineItem } from "../chat/timeline.ts";
import { useTRPC } from "../trpc.ts";
import { withUnreadChat } from "./inbox.ts";

export function useReadMarker(classId: string, scroller: RefObject<HTMLElement | null>, items: readonly TimelineItem[]) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const marked = useRef("");
  const { mutate } = useMutation(
    trpc.chat.markRead.mutationOptions({
      onSuccess: (result) => queryClient.setQueryData(trpc.notification.summary.queryKey(), (old) => withUnreadChat(old, classId, result.unread)),
    }),
  );

  let newest: { id: string; created_at: string } | undefined;
  for (let i = items.length - 1; i >= 0 && !newest; i--) {
    const item = items[i];
    if (item?.kind === "message") newest = { id: item.message.message_id, created_at: item.message.created_at };
  }
  const id = newest?.id;
  const created_at = newest?.created_at;

  useEffect(() => {
    const root = scroller.current;
    if (!id || !created_at || !root || typeof IntersectionObserver === "undefined") return;
    const row = root.querySelector(`[data-message-id="${CSS.escape(id)}"]`);
    if (!row) return;
    let inView = false;
    const mark = () => {
      if (!inView || document.visibilityState !== "visible" || created_at <= marked.current) return;
      const previous = marked.current;
      marked.current = created_at;
      mutate(
        { class_id: classId, position: created_at },
        {
          onError: () => {
            if (marked.current === created_at) marked.current = previous;
          },
        },
      );
    };
    const observer = new IntersectionObserver(
      (entries) => {
        inView = entries.some((entry) => entry.isIntersecting);
        mark();
      },
      { root, threshold: 0.5 },
    );
    observer.observe(row);
    document.addEventListener("visibilitychange", mark);
    return () => {
      observer.disconnect();
      document.removeEventListener("visibilitychange", mark);
    };
  }, [classId, id, created_at, scroller, mutate]);
}
