/**
 * The app shell's poll: unread notifications and each class's unread chat, every 15 seconds
 * while the tab is visible (one shared query for the bell, the class list and the tab's title).
 * An open class's chat poll brings the notification count sooner (see useChat).
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "../trpc.ts";
import { documentTitle, totalUnread } from "./inbox.ts";

export const INBOX_POLL_MS = 15_000;

export function useInbox() {
  const trpc = useTRPC();
  return useQuery(trpc.notification.summary.queryOptions(undefined, { refetchInterval: INBOX_POLL_MS, staleTime: 5_000 }));
}

/** "(3) Classroom" while anything is unread. */
export function useUnreadTitle() {
  const inbox = useInbox();
  const unread = totalUnread(inbox.data);
  useEffect(() => {
    document.title = documentTitle(unread);
  }, [unread]);
  useEffect(() => () => void (document.title = documentTitle(0)), []);
}
