import { describe, expect, it } from "vitest";
import { byDueDate, fromDateTimeField, parseGrade, studentStatus, teacherStatus, toDateTimeField, todoGroup } from "./status.ts";

describe("a submission's state in words", () => {
  it("tells a student what is left to do, and a teacher what came in", () => {
    expect(studentStatus({ state: "new", late: false, missing: false })).toBe("Assigned");
    expect(studentStatus({ state: "new", late: false, missing: true })).toBe("Missing");
    expect(studentStatus({ state: "turned_in", late: true, missing: false })).toBe("Turned in late");
    expect(studentStatus({ state: "reclaimed", late: false, missing: false })).toBe("Unsubmitted");
    expect(teacherStatus({ state: "new", late: false, missing: false })).toBe("Not turned in");
    expect(teacherStatus({ state: "returned", late: false, missing: false })).toBe("Returned");
  });
});

describe("To do groups", () => {
  it("puts turned-in and returned work in done, past-due work in missing, the rest in assigned", () => {
    expect(todoGroup({ state: "turned_in", missing: false })).toBe("done");
    expect(todoGroup({ state: "returned", missing: false })).toBe("done");
    expect(todoGroup({ state: "reclaimed", missing: true })).toBe("missing");
    expect(todoGroup({ state: "new", missing: false })).toBe("assigned");
  });

  it("orders by due date, undated last", () => {
    const items = [
      { title: "B", due_at: null },
      { title: "C", due_at: "2030-01-02T00:00:00.000Z" },
      { title: "A", due_at: "2030-01-01T00:00:00.000Z" },
      { title: "A2", due_at: null },
    ];
    expect([...items].sort(byDueDate).map((i) => i.title)).toEqual(["A", "C", "A2", "B"]);
  });
});

describe("due dates and the date field", () => {
  it("round-trips a time through the field in the browser's zone", () => {
    const iso = "2030-03-01T23:59:00.000Z";
    expect(fromDateTimeField(toDateTimeField(iso))).toBe(iso);
  });

  it("reads an empty field as no due date", () => {
    expect(toDateTimeField(null)).toBe("");
    expect(fromDateTimeField("")).toBeNull();
    expect(fromDateTimeField("not a time")).toBeNull();
  });
});

describe("grades as typed", () => {
  it("takes numbers up to the maximum with at most two decimals, and empty as cleared", () => {
    expect(parseGrade("9", 10)).toEqual({ ok: true, grade: 9 });
    expect(parseGrade(" 8,5 ", 10)).toEqual({ ok: true, grade: 8.5 });
    expect(parseGrade("", 10)).toEqual({ ok: true, grade: null });
    expect(parseGrade("0", 10)).toEqual({ ok: true, grade: 0 });
  });

  it("refuses what the API would refuse, saying why", () => {
    expect(parseGrade("11", 10)).toEqual({ ok: false, error: "The grade can be at most 10." });
    expect(parseGrade("-1", 10).ok).toBe(false);
    expect(parseGrade("9.555", 10).ok).toBe(false);
    expect(parseGrade("nine", 10).ok).toBe(false);
  });
});
