/**
 * The last days' counters as a small line chart, drawn by uPlot on a canvas. The canvas is an
 * image to assistive technology: the same numbers are in the table beside it.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { COUNTERS, type DayStats, daySeconds } from "./stats.ts";

const COLORS: Record<(typeof COUNTERS)[number]["key"], string> = {
  messages_sent: "#1f5f8b",
  reactions: "#d94f68",
  comments_created: "#2e8b57",
  comments_deleted: "#8a5a00",
};
const HEIGHT = 220;

export function DailyChart({ days, label }: { days: DayStats[]; label: string }) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const data: uPlot.AlignedData = [days.map((d) => daySeconds(d.day)), ...COUNTERS.map(({ key }) => days.map((d) => d[key]))];
    const chart = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: HEIGHT,
        // Days are UTC days, as the API counts them; label them as such in every time zone.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
        axes: [{ space: 60, values: "{MMM} {D}" }, { size: 40 }],
        series: [
          { value: "{YYYY}-{MM}-{DD}" },
          ...COUNTERS.map(({ key, label: name }) => ({ label: name, stroke: COLORS[key], width: 2, points: { size: 5 } })),
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days]);

  return <div ref={holder} className="daily-chart" role="img" aria-label={label} />;
}
