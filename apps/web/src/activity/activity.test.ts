import { describe, expect, it } from "vitest";
import type { AuditEvent } from "./events.ts";
import { describeEvent } from "./events.ts";
import { lastDays, totals } from "./stats.ts";

describe("the last 30 days of statistics", () => {
  const now = Date.parse("2030-03-14T23:30:00Z");
  const day = (d: string, messages_sent: number) => ({ day: d, messages_sent, reactions: 1, comments_created: 0, comments_deleted: 0 });

  it("has every day, oldest first, zeros where the API had nothing", () => {
    const days = lastDays([day("2030-03-14", 5), day("2030-02-13", 2), day("2030-02-01", 9)], 30, now);
    expect(days).toHaveLength(30);
    expect(days[0]?.day).toBe("2030-02-13");
    expect(days[29]?.day).toBe("2030-03-14");
    expect(days[0]?.messages_sent).toBe(2);
    expect(days[1]).toEqual({ day: "2030-02-14", messages_sent: 0, reactions: 0, comments_created: 0, comments_deleted: 0 });
    expect(totals(days)).toEqual({ messages_sent: 7, reactions: 2, comments_created: 0, comments_deleted: 0 });
  });
});

describe("audit events in words", () => {
  const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
    event_id: "e1",
    at: "2030-03-14T09:00:00.000Z",
    entity: "message",
    action: "insert",
    summary: "message sent",
    ...overrides,
  });
  const names = new Map([["u1", "Alex Kim"]]);
  const nameOf = (id: string) => names.get(id);

  it("names the actor, and says so when they left the class", () => {
    expect(describeEvent(event({ actor_id: "u1", after: { content: "Hello\n  class" } }), nameOf)).toEqual({
      who: "Alex Kim",
      what: "message sent",
      quote: "Hello class",
    });
    expect(describeEvent(event({ actor_id: "u9" }), nameOf).who).toBe("A former member");
    expect(describeEvent(event({}), nameOf).who).toBeUndefined();
  });

  it("quotes what a removal took away, shortened", () => {
    const long = "x".repeat(500);
    const removed = describeEvent(event({ action: "modify", summary: "message removed by a teacher", before: { content: long }, after: { content: "" } }), nameOf);
    expect(removed.quote).toHaveLength(140);
    expect(removed.quote?.endsWith("…")).toBe(true);
  });

  it("says whom a membership change is about", () => {
    expect(describeEvent(event({ entity: "membership", summary: "member muted", after: { user_name: "Sam Lee" } }), nameOf)).toEqual({
      what: "member muted",
      about: "Sam Lee",
    });
  });
});
