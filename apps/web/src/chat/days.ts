/**
 * Day separators for the chat: "Today", "Yesterday", then the date, in the reader's time zone.
 * Pure, with the clock and the locale passed in, so the rules are tested on their own.
 */

/** The calendar day of a moment, in the local time zone, as a sortable key. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function daysBetween(earlier: Date, later: Date): number {
  // Calendar days, so a change to or from daylight saving time does not shift the answer.
  const a = Date.UTC(earlier.getFullYear(), earlier.getMonth(), earlier.getDate());
  const b = Date.UTC(later.getFullYear(), later.getMonth(), later.getDate());
  return Math.round((b - a) / 86_400_000);
}

/** "Today", "Yesterday", the weekday and date within this year, or the full date. */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  const ago = daysBetween(date, now);
  if (ago === 0) return "Today";
  if (ago === 1) return "Yesterday";
  const options: Intl.DateTimeFormatOptions =
    date.getFullYear() === now.getFullYear()
      ? { weekday: "long", month: "long", day: "numeric" }
      : { year: "numeric", month: "long", day: "numeric" };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export type WithDays<T> = { kind: "day"; key: string; label: string } | { kind: "item"; item: T };

/**
 * Puts a separator before the first item of each day. `dateOf` gives an item's moment, or
 * undefined for one not yet sent (it belongs to today).
 */
export function withDaySeparators<T>(items: readonly T[], dateOf: (item: T) => string | undefined, now: Date, locale?: string): Array<WithDays<T>> {
  const rows: Array<WithDays<T>> = [];
  let current: string | undefined;
  for (const item of items) {
    const iso = dateOf(item);
    const date = iso ? new Date(iso) : now;
    const key = dayKey(date);
    if (key !== current) {
      rows.push({ kind: "day", key: `day-${key}`, label: dayLabel(date, now, locale) });
      current = key;
    }
    rows.push({ kind: "item", item });
  }
  return rows;
}
