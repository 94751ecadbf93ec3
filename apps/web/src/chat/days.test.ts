import { describe, expect, it } from "vitest";
import { dayLabel, withDaySeparators } from "./days.ts";

// Local times, so the tests hold in any time zone.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min);

describe("day labels", () => {
  const now = at(2030, 3, 14, 9, 30);

  it("says Today and Yesterday by the calendar, not by 24-hour spans", () => {
    expect(dayLabel(at(2030, 3, 14, 0, 1), now)).toBe("Today");
    expect(dayLabel(at(2030, 3, 13, 23, 59), now)).toBe("Yesterday");
    expect(dayLabel(at(2030, 3, 13, 0, 0), now)).toBe("Yesterday");
    expect(dayLabel(at(2030, 3, 12, 23, 59), now, "en-US")).toBe("Tuesday, March 12");
  });

  it("names the year only for another year", () => {
    expect(dayLabel(at(2030, 1, 2), now, "en-US")).toBe("Wednesday, January 2");
    expect(dayLabel(at(2029, 12, 31), now, "en-US")).toBe("December 31, 2029");
    expect(dayLabel(at(2029, 12, 31), at(2030, 1, 1, 8), "en-US")).toBe("Yesterday");
  });
});

describe("separators in the chat", () => {
  const now = at(2030, 3, 14, 9, 30);
  type Item = { id: string; at?: string };
  const item = (id: string, date?: Date): Item => (date ? { id, at: date.toISOString() } : { id });
  const shape = (items: Item[]) =>
    withDaySeparators(items, (i) => i.at, now, "en-US").map((row) => (row.kind === "day" ? `[${row.label}]` : row.item.id));

  it("puts one separator before the first message of each day", () => {
    expect(
      shape([item("a", at(2030, 3, 10, 8)), item("b", at(2030, 3, 10, 17)), item("c", at(2030, 3, 13, 22)), item("d", at(2030, 3, 14, 7)), item("e", at(2030, 3, 14, 9))]),
    ).toEqual(["[Sunday, March 10]", "a", "b", "[Yesterday]", "c", "[Today]", "d", "e"]);
  });

  it("counts messages not yet sent as today's", () => {
    expect(shape([item("a", at(2030, 3, 13, 22)), item("sending")])).toEqual(["[Yesterday]", "a", "[Today]", "sending"]);
    expect(shape([item("a", at(2030, 3, 14, 8)), item("sending")])).toEqual(["[Today]", "a", "sending"]);
  });

  it("shows nothing for no messages", () => {
    expect(shape([])).toEqual([]);
  });
});
