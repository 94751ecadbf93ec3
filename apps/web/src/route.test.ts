import { describe, expect, it } from "vitest";
import { assignmentHref, notificationSettingsHref, parseRoute, postHref, sectionHref } from "./route.ts";

describe("routes", () => {
  it("reads every screen from the hash", () => {
    expect(parseRoute("")).toEqual({ name: "classes" });
    expect(parseRoute("#/todo")).toEqual({ name: "todo" });
    expect(parseRoute("#/settings/notifications")).toEqual({ name: "notificationSettings" });
    expect(parseRoute("#/class/c1")).toEqual({ name: "class", classId: "c1", section: "stream" });
    expect(parseRoute("#/class/c1/activity")).toEqual({ name: "activity", classId: "c1" });
    expect(parseRoute("#/class/c1/grades")).toEqual({ name: "class", classId: "c1", section: "grades" });
    expect(parseRoute("#/class/c1/classwork/a1")).toEqual({ name: "class", classId: "c1", section: "classwork", itemId: "a1" });
    expect(parseRoute("#/class/c1/message/m-1")).toEqual({ name: "class", classId: "c1", section: "stream", itemId: "m-1" });
  });

  it("falls back to my classes for anything else", () => {
    expect(parseRoute("#/class/c1/nope")).toEqual({ name: "classes" });
    expect(parseRoute("#/class/c1/settings/x")).toEqual({ name: "classes" });
    expect(parseRoute("#/class/c1/post")).toEqual({ name: "classes" });
    expect(parseRoute("#/class/a b")).toEqual({ name: "classes" });
    expect(parseRoute("#/settings")).toEqual({ name: "classes" });
    expect(parseRoute("#/settings/notifications/x")).toEqual({ name: "classes" });
  });

  it("writes the links it reads", () => {
    expect(parseRoute(sectionHref("c1", "settings"))).toEqual({ name: "class", classId: "c1", section: "settings" });
    expect(parseRoute(sectionHref("c1", "stream"))).toEqual({ name: "class", classId: "c1", section: "stream" });
    expect(parseRoute(assignmentHref("c1", "a1"))).toMatchObject({ section: "classwork", itemId: "a1" });
    expect(parseRoute(postHref("c1", "p1"))).toMatchObject({ section: "stream", itemId: "p1" });
    expect(parseRoute(notificationSettingsHref)).toEqual({ name: "notificationSettings" });
  });
});
