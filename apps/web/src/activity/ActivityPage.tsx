/**
 * A class's activity, for its teachers: the daily statistics of the last 30 days as a chart
 * (with the numbers as a table), and the audit trail, newest first, a page at a time. Both come
 * from the table's stream, so they trail the class by a moment; they refresh while open.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { classHref, homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError, isNotFound } from "../ui/errors.ts";
import { Empty, ErrorState, Loading, Time } from "../ui/states.tsx";
import { DailyChart } from "./DailyChart.tsx";
import { describeEvent } from "./events.ts";
import { COUNTERS, lastDays, totals } from "./stats.ts";

const DAYS = 30;
const EVENTS_PAGE_SIZE = 25;
const REFRESH_MS = 15_000;

export function ActivityPage({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const klass = useQuery(trpc.class.byId.queryOptions({ class_id: classId }));
  const isTeacher = klass.data?.role === "teacher";

  if (klass.isPending) {
    return (
      <main className="page">
        <Loading label="Opening the class…" />
      </main>
    );
  }
  if (klass.isError) {
    return (
      <main className="page">
        <a className="back" href={homeHref}>
          <span aria-hidden="true">←</span> My classes
        </a>
        <ErrorState
          message={isNotFound(klass.error) ? "This class doesn't exist, or you're not a member of it." : describeError(klass.error)}
          onRetry={isNotFound(klass.error) ? undefined : () => void klass.refetch()}
        />
      </main>
    );
  }

  return (
    <main className="page activity-page" aria-labelledby="activity-title">
      <a className="back" href={classHref(classId)}>
        <span aria-hidden="true">←</span> {klass.data.name}
      </a>
      <div className="page-head">
        <h1 id="activity-title">Activity in {klass.data.name}</h1>
      </div>
      {isTeacher ? (
        <>
          <DailyStats classId={classId} />
          <AuditTrail classId={classId} />
        </>
      ) : (
        <ErrorState message="Only teachers of this class can see its activity." />
      )}
    </main>
  );
}

function DailyStats({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const stats = useQuery(trpc.audit.stats.queryOptions({ class_id: classId, days: DAYS }, { refetchInterval: REFRESH_MS }));
  const days = useMemo(() => lastDays(stats.data ?? [], DAYS, Date.now()), [stats.data]);
  const sum = totals(days);
  const summary = COUNTERS.map(({ key, label }) => `${label}: ${sum[key]}`).join(", ");

  return (
    <section className="card" aria-labelledby="stats-title">
      <h2 id="stats-title">The last {DAYS} days</h2>
      {stats.isPending ? (
        <Loading label="Loading the statistics…" />
      ) : stats.isError ? (
        <ErrorState message={describeError(stats.error)} onRetry={() => void stats.refetch()} />
      ) : (
        <>
          <dl className="stat-totals">
            {COUNTERS.map(({ key, label }) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{sum[key]}</dd>
              </div>
            ))}
          </dl>
          <DailyChart days={days} label={`Daily activity over the last ${DAYS} days. ${summary}.`} />
          <details className="stat-table">
            <summary>The numbers per day</summary>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Day (UTC)</th>
                    {COUNTERS.map(({ key, label }) => (
                      <th key={key} scope="col">
                        {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...days].reverse().map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{d.day}</th>
                      {COUNTERS.map(({ key }) => (
                        <td key={key}>{d[key]}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function AuditTrail({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.member.list.queryOptions({ class_id: classId }));
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { class_id: classId, limit: EVENTS_PAGE_SIZE },
      { getNextPageParam: (last) => last.cursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.user_id, m.user_name])), [members.data]);
  const list = events.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p className="muted small">Every change in the class, newest first.</p>
      {events.isPending ? (
        <Loading label="Loading the audit trail…" />
      ) : events.isError ? (
        <ErrorState message={describeError(events.error)} onRetry={() => void events.refetch()} />
      ) : list.length === 0 ? (
        <Empty title="Nothing yet">Messages, posts, comments and membership changes will be listed here.</Empty>
      ) : (
        <>
          <ol className="audit-list" aria-label="Audit events">
            {list.map((event) => {
              const words = describeEvent(event, (id) => names.get(id));
              return (
                <li key={event.event_id} className="audit-event">
                  <Time iso={event.at} />
                  <span className="audit-what">
                    {words.who && <strong>{words.who}</strong>} {words.what}
                    {words.about && <> · {words.about}</>}
                  </span>
                  {words.quote && <q className="audit-quote">{words.quote}</q>}
                </li>
              );
            })}
          </ol>
          {events.hasNextPage && (
            <button type="button" className="button ghost wide" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
              {events.isFetchingNextPage ? "Loading…" : "Show older events"}
            </button>
          )}
        </>
      )}
    </section>
  );
}
