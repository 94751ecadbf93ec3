/**
 * Notices, from any call the class page makes (the chat's poll, a send, the posts, the members),
 * that the API no longer lets this person into the class: a teacher removed them while the page
 * was open. The page then stops everything and says so, instead of retrying forever.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { isClassGone } from "../ui/errors.ts";

export function useClassGone(enabled: boolean): boolean {
  const queryClient = useQueryClient();
  const [gone, setGone] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error" && isClassGone(event.action.error)) setGone(true);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error" && isClassGone(event.action.error)) setGone(true);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [enabled, queryClient]);
  return gone;
}
