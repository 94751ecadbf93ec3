import { describe, expect, it } from "vitest";
import { basis, marks, ordinal, percent, rankLabel } from "./standing.ts";

describe("standings on screen", () => {
  it("marks top performers strictly above 80 and flags students below 60", () => {
    expect(marks(80)).toEqual({ top: false, atRisk: false });
    expect(marks(80.01)).toEqual({ top: true, atRisk: false });
    expect(marks(60)).toEqual({ top: false, atRisk: false });
    expect(marks(59.99)).toEqual({ top: false, atRisk: true });
  });

  it("says ranks, averages and what they are over", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    expect(rankLabel(2, 25)).toBe("2nd of 25");
    expect(rankLabel(null, null)).toBeNull();
    expect(percent(87.25)).toBe("87.25%");
    expect(basis(1)).toBe("over 1 graded assignment");
    expect(basis(3)).toBe("over 3 graded assignments");
  });
});
