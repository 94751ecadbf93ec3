/** The full-table checks of the fault suites, each shown to catch its invariant broken on purpose (no stack needed). */
import { contribution } from "@classroom/core/standing";
import { describe, expect, it } from "vitest";
import { lostNotifications, notificationViolations, standingViolations } from "./verify.ts";

const E = "__edb_e__";
const assignment = { [E]: "assignment", assignment_id: "a1", class_id: "c1", max_points: 40, state: "published" };
const returned = { [E]: "submission", assignment_id: "a1", class_id: "c1", student_id: "s1", state: "returned", assigned_grade: 30 };
const counted = contribution(returned, assignment)!;
const standing = { [E]: "standing", class_id: "c1", student_id: "s1", sum: counted, count: 1, score: 75 };
const membership = { [E]: "membership", class_id: "c1", user_id: "s1", role: "student" };
const notification = { [E]: "notification", user_id: "s1", event_id: "e1:grade.returned", at: "2026-01-01T00:00:00.000Z", kind: "grade.returned", target_id: "a1" };
const inbox = { [E]: "inbox", user_id: "s1", unread: 1 };

describe("the fault suites' full-table checks", () => {
  it("accept a consistent table", () => {
    const items = [assignment, { ...returned, counted }, standing, membership, notification, inbox];
    expect(standingViolations(items)).toEqual([]);
    expect(notificationViolations(items)).toEqual([]);
    expect(lostNotifications(items)).toEqual([]);
  });

  it("catch a standing that differs from the recomputation, a stale score or an uncounted submission", () => {
    expect(standingViolations([assignment, { ...returned, counted }, { ...standing, sum: counted + 1 }])).toHaveLength(1);
    expect(standingViolations([assignment, { ...returned, counted }, { ...standing, score: 70 }])).toHaveLength(1);
    expect(standingViolations([assignment, returned, standing])).toHaveLength(1);
    expect(standingViolations([assignment, { ...returned, counted }])).toHaveLength(1);
  });

  it("catch a notification stored twice, a wrong unread counter and a lost notification", () => {
    const twice = { ...notification, at: "2026-01-01T00:00:01.000Z" };
    expect(notificationViolations([notification, twice, { ...inbox, unread: 2 }])).toHaveLength(1);
    expect(notificationViolations([notification, { ...inbox, unread: 0 }])).toHaveLength(1);
    expect(lostNotifications([assignment, returned, membership])).toHaveLength(1);
    const announcement = { [E]: "post", post_id: "p1", class_id: "c1", kind: "announcement", author_id: "t1" };
    expect(lostNotifications([announcement, membership])).toHaveLength(1);
  });
});
