/**
 * "Recommended for you" on a class's stream: items of the class the reader has not opened yet,
 * like the ones they have (the class's popular items for someone new). Read once per half hour
 * at most (the model is retrained hourly), never polled.
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc.ts";
import { RECOMMENDATIONS_STALE_MS } from "./items.ts";
import { RecommendationList } from "./RecommendationList.tsx";

/** Fewer than beside an item: it sits above the stream. */
const STREAM_PANEL_SIZE = 3;

export function RecommendedForYou({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.recommendation.forClass.queryOptions(
      { class_id: classId, limit: STREAM_PANEL_SIZE },
      { staleTime: RECOMMENDATIONS_STALE_MS, refetchOnWindowFocus: false },
    ),
  );
  return <RecommendationList heading="Recommended for you" classId={classId} query={query} className="recs-for-you" />;
}
