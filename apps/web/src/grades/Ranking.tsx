/**
 * The teacher's class ranking, on the Grades tab: students by average (returned, graded work
 * only), top performers marked, those below the at-risk line flagged, a page at a time; and
 * the class setting that lets students see their own rank. The ranking is read from an index
 * that trails the grades by a moment, so it refreshes on its own.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { AT_RISK_SCORE, TOP_PERFORMER_SCORE, basis, marks, percent } from "./standing.ts";

const PAGE_SIZE = 50;
const REFRESH_MS = 15_000;

export function Ranking({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const ranking = useInfiniteQuery(
    trpc.standing.ranking.infiniteQueryOptions(
      { class_id: classId, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.cursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const students = ranking.data?.pages.flatMap((page) => page.students) ?? [];

  return (
    <section className="card stack ranking" aria-labelledby="ranking-title">
      <div className="ranking-head">
        <h3 id="ranking-title">Class ranking</h3>
        <RankSetting classId={classId} />
      </div>
      <p className="muted small">
        Average of each student's returned, graded work. ★ above {TOP_PERFORMER_SCORE}%; ⚑ below {AT_RISK_SCORE}%. A grade returned a moment ago may take a
        few seconds to show here.
      </p>
      {ranking.isPending ? (
        <Loading label="Loading the ranking…" />
      ) : ranking.isError ? (
        <ErrorState message={describeError(ranking.error)} onRetry={() => void ranking.refetch()} />
      ) : students.length === 0 ? (
        <Empty title="No one ranked yet">Students appear here once work of theirs is graded and returned.</Empty>
      ) : (
        <>
          <ol className="ranking-list" aria-label="Students by average">
            {students.map((s) => {
              const { top, atRisk } = marks(s.score);
              return (
                <li key={s.student_id} className={atRisk ? "at-risk" : top ? "top-performer" : undefined}>
                  <span className="ranking-rank">{s.rank}</span>
                  <span className="ranking-name">{s.student_name}</span>
                  <span className="ranking-score" title={basis(s.count)}>
                    {percent(s.score)}
                  </span>
                  {top && <span className="badge badge-top">★ Top performer</span>}
                  {atRisk && <span className="badge badge-at-risk">⚑ Below {AT_RISK_SCORE}%</span>}
                </li>
              );
            })}
          </ol>
          {ranking.hasNextPage && (
            <button type="button" className="button ghost wide" onClick={() => void ranking.fetchNextPage()} disabled={ranking.isFetchingNextPage}>
              {ranking.isFetchingNextPage ? "Loading…" : "Show more"}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The class setting: whether students see their rank (they always see their own average). */
function RankSetting({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const klass = useQuery(trpc.class.byId.queryOptions({ class_id: classId }));
  /** The box as ticked, until the class comes back saved. */
  const [ticked, setTicked] = useState<boolean | null>(null);
  const update = useMutation(
    trpc.class.update.mutationOptions({
      onSuccess: async (saved) => {
        queryClient.setQueryData(trpc.class.byId.queryKey({ class_id: classId }), saved);
        await queryClient.invalidateQueries(trpc.class.pathFilter());
      },
    }),
  );
  if (!klass.data) return null;
  return (
    <label className="check rank-setting small">
      <input
        type="checkbox"
        checked={ticked ?? klass.data.show_rank_to_students}
        disabled={update.isPending || klass.data.state === "archived"}
        onChange={(event) => {
          setTicked(event.target.checked);
          update.mutate({ class_id: classId, show_rank_to_students: event.target.checked }, { onSettled: () => setTicked(null) });
        }}
      />
      <span>Show students their rank</span>
      {update.error && (
        <span className="error-text" role="alert">
          {describeError(update.error)}
        </span>
      )}
    </label>
  );
}
