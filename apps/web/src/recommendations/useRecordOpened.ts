/**
 * Tells the API that the reader opened an item (a post, an assignment, a file), which feeds
 * the recommendations. Once per view: again only when the item changes or the view is opened
 * anew. Fire-and-forget: it never waits, never retries and never shows an error; the API
 * counts it once per person, item and day anyway, and refuses it when too many come at once.
 * Once recorded, "Recommended for you" is fetched again: it leaves out what the reader opened.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC, useTRPCClient } from "../trpc.ts";
import type { ItemRef } from "./items.ts";

export function useRecordOpened(item: ItemRef | null): void {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recorded = useRef<string | null>(null);
  const type = item?.item_type;
  const id = item?.item_id;
  useEffect(() => {
    if (!type || !id) return;
    const key = `${type}:${id}`;
    if (recorded.current === key) return;
    recorded.current = key;
    client.recommendation.record
      .mutate({ item_type: type, item_id: id })
      .then(({ recorded: stored }) => {
        if (stored) void queryClient.invalidateQueries(trpc.recommendation.forClass.pathFilter());
      })
      .catch(() => undefined);
  }, [client, trpc, queryClient, type, id]);
}
