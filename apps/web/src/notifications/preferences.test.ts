import { EVENT_TYPES } from "@classroom/client";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type Preferences, isClassMuted, isKindOn, withClassMuted, withKind } from "./preferences.ts";

const none: Preferences = { disabled_kinds: [], muted_classes: [] };

describe("notification preferences", () => {
  it("name every kind of the catalog, once, in plain words", () => {
    expect(NOTIFICATION_KINDS.map((k) => k.kind)).toEqual([...EVENT_TYPES]);
    for (const { label, description } of NOTIFICATION_KINDS) {
      expect(label).not.toMatch(/\./);
      expect(description.length).toBeGreaterThan(10);
    }
    expect(new Set(NOTIFICATION_KINDS.map((k) => k.label)).size).toBe(EVENT_TYPES.length);
  });

  it("turn one kind off and on again, keeping the rest", () => {
    const start: Preferences = { disabled_kinds: ["chat.mentioned"], muted_classes: ["c1"] };
    const off = withKind(start, "announcement.posted", false);
    expect(off).toEqual({ disabled_kinds: ["announcement.posted", "chat.mentioned"], muted_classes: ["c1"] });
    expect(isKindOn(off, "announcement.posted")).toBe(false);
    expect(withKind(off, "announcement.posted", false)).toEqual(off);
    expect(withKind(off, "announcement.posted", true)).toEqual(start);
    expect(isKindOn(none, "grade.returned")).toBe(true);
  });

  it("mute and unmute one class, keeping classes that are no longer listed", () => {
    const start: Preferences = { disabled_kinds: [], muted_classes: ["left-class"] };
    const muted = withClassMuted(start, "c2", true);
    expect(muted.muted_classes).toEqual(["c2", "left-class"]);
    expect(isClassMuted(muted, "c2")).toBe(true);
    expect(withClassMuted(muted, "c2", true)).toEqual(muted);
    expect(withClassMuted(muted, "c2", false)).toEqual(start);
    expect(start.muted_classes).toEqual(["left-class"]);
  });
});
