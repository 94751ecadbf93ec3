import { describe, expect, it } from "vitest";
import { badgeCount, documentTitle, notificationBody, targetHref, totalUnread, withUnreadChat, withUnreadNotifications } from "./inbox.ts";

const summary = { unread_notifications: 2, classes: [{ class_id: "c1", unread_chat: 3 }, { class_id: "c2", unread_chat: 0 }] };

describe("badges and the title", () => {
  it("counts up to 99, then says 99+", () => {
    expect(badgeCount(0)).toBe("0");
    expect(badgeCount(99)).toBe("99");
    expect(badgeCount(100)).toBe("99+");
  });

  it("puts everything unread in the tab's title", () => {
    expect(totalUnread(summary)).toBe(5);
    expect(documentTitle(totalUnread(summary))).toBe("(5) Classroom");
    expect(documentTitle(0)).toBe("Classroom");
    expect(documentTitle(250)).toBe("(99+) Classroom");
    expect(totalUnread(undefined)).toBe(0);
  });
});

describe("where a notification leads", () => {
  it("opens the assignment, the post, the message or the class", () => {
    expect(targetHref({ class_id: "c1", target: { type: "assignment", id: "a1" } })).toBe("#/class/c1/classwork/a1");
    expect(targetHref({ class_id: "c1", target: { type: "post", id: "p1" } })).toBe("#/class/c1/post/p1");
    expect(targetHref({ class_id: "c1", target: { type: "message", id: "m1" } })).toBe("#/class/c1/message/m1");
    expect(targetHref({ class_id: "c1", target: { type: "class", id: "c1" } })).toBe("#/class/c1");
  });
});

describe("the summary kept in step", () => {
  it("takes a new notification count, keeping the object when it is the same", () => {
    expect(withUnreadNotifications(summary, 2)).toBe(summary);
    expect(withUnreadNotifications(summary, 0)?.unread_notifications).toBe(0);
    expect(withUnreadNotifications(undefined, 1)).toBeUndefined();
  });

  it("takes a class's chat count after it is read", () => {
    const read = withUnreadChat(summary, "c1", 0);
    expect(read?.classes).toEqual([{ class_id: "c1", unread_chat: 0 }, { class_id: "c2", unread_chat: 0 }]);
    expect(withUnreadChat(summary, "other", 0)).toBe(summary);
  });
});

describe("a notification's second line", () => {
  it("says a new assignment's due time in words, and leaves other text alone", () => {
    const body = notificationBody({ kind: "assignment.published", body: "Due 2030-03-01T12:00:00.000Z" });
    expect(body).toMatch(/^Due \w{3}, Mar 1/);
    expect(notificationBody({ kind: "grade.returned", body: "8 / 10" })).toBe("8 / 10");
    expect(notificationBody({ kind: "assignment.published", body: "Due soon" })).toBe("Due soon");
  });
});
