/**
 * The daily statistics as the chart shows them: every one of the last N days, oldest first,
 * with zeros for days without activity (the API leaves those out). Days are UTC calendar days,
 * as the API counts them.
 */
import type { RouterOutputs } from "@classroom/api";

export type DayStats = RouterOutputs["audit"]["stats"][number];
export type Counter = Exclude<keyof DayStats, "day">;

export const COUNTERS: ReadonlyArray<{ key: Counter; label: string }> = [
  { key: "messages_sent", label: "Messages sent" },
  { key: "reactions", label: "Reactions" },
  { key: "comments_created", label: "Comments written" },
  { key: "comments_deleted", label: "Comments deleted" },
];

const DAY_MS = 86_400_000;

/** The UTC day of a moment, as the API writes it: "2030-03-14". */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function lastDays(stats: readonly DayStats[], days: number, now: number): DayStats[] {
  const byDay = new Map(stats.map((s) => [s.day, s]));
  const out: DayStats[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = utcDay(now - i * DAY_MS);
    out.push(byDay.get(day) ?? { day, messages_sent: 0, reactions: 0, comments_created: 0, comments_deleted: 0 });
  }
  return out;
}

export function totals(days: readonly DayStats[]): Record<Counter, number> {
  const sum: Record<Counter, number> = { messages_sent: 0, reactions: 0, comments_created: 0, comments_deleted: 0 };
  for (const d of days) for (const { key } of COUNTERS) sum[key] += d[key];
  return sum;
}

/** Seconds since the epoch at the start of a UTC day (the chart's x values). */
export const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
