import { describe, expect, it } from "vitest";
import { INPUT_KEEPS_FAST_MS, POLL_FAST_MS, POLL_SLOW_MS, nextPollDelay, pollAfterMs, pollDueAt } from "../src/polling.ts";

const minute = 60_000;
const idle = { hintMs: POLL_FAST_MS, newMessages: false, sinceInputMs: 30 * minute, hidden: false };

describe("pollAfterMs (the server's hint)", () => {
  it("keeps 3 s for a minute after a message, then steps down to 15 s", () => {
    expect(pollAfterMs(0)).toBe(3_000);
    expect(pollAfterMs(59_999)).toBe(3_000);
    expect(pollAfterMs(minute)).toBe(6_000);
    expect(pollAfterMs(3 * minute - 1)).toBe(6_000);
    expect(pollAfterMs(3 * minute)).toBe(10_000);
    expect(pollAfterMs(10 * minute)).toBe(15_000);
    expect(pollAfterMs(8 * 60 * minute)).toBe(15_000);
  });

  it("treats a class without messages as quiet and a message stamped ahead of the clock as activity", () => {
    expect(pollAfterMs(Number.POSITIVE_INFINITY)).toBe(POLL_SLOW_MS);
    expect(pollAfterMs(-5_000)).toBe(POLL_FAST_MS);
  });

  it("never slows down as a class gets busier", () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let quiet = 20 * minute; quiet >= 0; quiet -= 1_000) {
      const pace = pollAfterMs(quiet);
      expect(pace).toBeLessThanOrEqual(previous);
      previous = pace;
    }
  });
});

describe("nextPollDelay (the client's pace)", () => {
  it("follows the server's hint while the person is idle", () => {
    expect(nextPollDelay({ ...idle, hintMs: 15_000 })).toBe(15_000);
    expect(nextPollDelay({ ...idle, hintMs: 10_000, sinceInputMs: 2 * minute })).toBe(10_000);
  });

  it("never polls faster than the hint unless the person acts", () => {
    for (const hintMs of [3_000, 6_000, 10_000, 15_000]) {
      for (const sinceInputMs of [INPUT_KEEPS_FAST_MS, 2 * minute, 5 * minute, 60 * minute]) {
        expect(nextPollDelay({ ...idle, hintMs, sinceInputMs })).toBeGreaterThanOrEqual(hintMs);
      }
    }
  });

  it("goes back to 3 s at once on input or news, whatever the hint", () => {
    expect(nextPollDelay({ ...idle, hintMs: 15_000, sinceInputMs: 0 })).toBe(POLL_FAST_MS);
    expect(nextPollDelay({ ...idle, hintMs: 15_000, sinceInputMs: INPUT_KEEPS_FAST_MS - 1 })).toBe(POLL_FAST_MS);
    expect(nextPollDelay({ ...idle, hintMs: 15_000, newMessages: true })).toBe(POLL_FAST_MS);
  });

  it("backs off step by step while the person is idle, even in an active class", () => {
    const at = (sinceInputMs: number) => nextPollDelay({ ...idle, hintMs: POLL_FAST_MS, sinceInputMs });
    expect([at(30_000), at(2 * minute), at(5 * minute), at(11 * minute)]).toEqual([3_000, 6_000, 10_000, 15_000]);
  });

  it("polls every 15 s in a hidden tab, news or not", () => {
    expect(nextPollDelay({ ...idle, hidden: true, hintMs: 3_000, newMessages: true, sinceInputMs: 0 })).toBe(POLL_SLOW_MS);
  });

  it("stays between 3 s and 15 s whatever the hint says", () => {
    expect(nextPollDelay({ ...idle, hintMs: 500 })).toBe(POLL_SLOW_MS); // idle for 30 minutes: the idle step wins
    expect(nextPollDelay({ ...idle, sinceInputMs: 0, hintMs: 500 })).toBe(POLL_FAST_MS);
    expect(nextPollDelay({ ...idle, sinceInputMs: INPUT_KEEPS_FAST_MS, hintMs: 500 })).toBe(6_000);
    expect(nextPollDelay({ ...idle, hintMs: 3_600_000 })).toBe(POLL_SLOW_MS);
    expect(nextPollDelay({ ...idle, hintMs: null, sinceInputMs: INPUT_KEEPS_FAST_MS })).toBe(6_000);
    expect(nextPollDelay({ ...idle, hintMs: Number.NaN, sinceInputMs: INPUT_KEEPS_FAST_MS })).toBe(6_000);
  });
});

describe("pollDueAt (re-arming a waiting client)", () => {
  const quiet = { answeredAt: 100 * minute, hintMs: 15_000, newMessages: false, inputAt: 0, hidden: false };

  it("waits out the hint of a quiet class", () => {
    expect(pollDueAt(quiet)).toBe(100 * minute + 15_000);
  });

  it("moves the next poll up to 3 s after the last answer when input comes while waiting", () => {
    expect(pollDueAt({ ...quiet, inputAt: quiet.answeredAt + 10_000 })).toBe(quiet.answeredAt + 3_000);
  });

  it("moves it back to 15 s when the tab is hidden, even right after news", () => {
    const busy = { ...quiet, hintMs: 3_000, newMessages: true, inputAt: quiet.answeredAt };
    expect(pollDueAt(busy)).toBe(quiet.answeredAt + 3_000);
    expect(pollDueAt({ ...busy, hidden: true })).toBe(quiet.answeredAt + 15_000);
  });
});
