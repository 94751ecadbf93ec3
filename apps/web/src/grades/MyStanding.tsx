/** A student's own average in the class (and their rank, when the class shows ranks). */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc.ts";
import { basis, percent, rankLabel } from "./standing.ts";

const REFRESH_MS = 30_000;

export function MyStanding({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const standing = useQuery(trpc.standing.get.queryOptions({ class_id: classId }, { refetchInterval: REFRESH_MS }));
  if (!standing.data || standing.data.score === null) return null;
  const { score, count, rank, class_size } = standing.data;
  const place = rankLabel(rank, class_size);
  return (
    <p className="card my-standing" aria-label="Your average">
      <strong>Your average: {percent(score)}</strong> <span className="muted small">{basis(count)}</span>
      {place && <span className="my-rank"> · {place} in the class</span>}
    </p>
  );
}
