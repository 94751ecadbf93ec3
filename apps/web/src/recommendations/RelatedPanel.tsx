/**
 * "Related" beside an item: what people who opened this item also opened (or, before the
 * class's model knows the item, what is popular in the class). Opening the item is recorded
 * here too, so a host mounts one component for both.
 */
import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { useTRPC } from "../trpc.ts";
import { type ItemRef, PANEL_SIZE, RECOMMENDATIONS_STALE_MS, isLinkedPost } from "./items.ts";
import { RecommendationList } from "./RecommendationList.tsx";
import { useRecordOpened } from "./useRecordOpened.ts";

function RelatedPanel({ classId, item }: { classId: string; item: ItemRef }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.recommendation.similar.queryOptions(
      { item_type: item.item_type, item_id: item.item_id, limit: PANEL_SIZE },
      { staleTime: RECOMMENDATIONS_STALE_MS, refetchOnWindowFocus: false },
    ),
  );
  return <RecommendationList heading="Related" classId={classId} query={query} exclude={item} className="recs-related" />;
}

/** On an assignment's page: records that it was opened, and shows what is related to it. */
export function AssignmentRecommendations({ classId, assignmentId }: { classId: string; assignmentId: string }) {
  const item: ItemRef = { item_type: "assignment", item_id: assignmentId };
  useRecordOpened(item);
  return <RelatedPanel key={assignmentId} classId={classId} item={item} />;
}

const subscribeToHash = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};
const currentHash = () => window.location.hash;

/**
 * On a post in the stream. A post is opened when its comments are expanded, or when it is what
 * the address points at (a link to it); then it is recorded, and what is related shows under it.
 */
export function PostRecommendations({ post, expanded }: { post: { class_id: string; post_id: string }; expanded: boolean }) {
  const hash = useSyncExternalStore(subscribeToHash, currentHash);
  const opened = expanded || isLinkedPost(hash, post.class_id, post.post_id);
  const item: ItemRef = { item_type: "post", item_id: post.post_id };
  useRecordOpened(opened ? item : null);
  return opened ? <RelatedPanel classId={post.class_id} item={item} /> : null;
}
