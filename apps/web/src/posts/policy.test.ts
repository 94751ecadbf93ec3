import { describe, expect, it } from "vitest";
import { emptyStreamText, mayComment, posting } from "./policy.ts";

describe("who may start a post", () => {
  it("lets a teacher post, announcements included, whatever the policy", () => {
    for (const policy of ["all_members", "comments_only", "teachers_only"] as const) {
      expect(posting(true, policy)).toEqual({ canPost: true, canAnnounce: true });
    }
  });

  it("lets a student start discussion posts only where every member may post", () => {
    expect(posting(false, "all_members")).toEqual({ canPost: true, canAnnounce: false });
  });

  it("tells a student why there is no composer where they may not post", () => {
    expect(posting(false, "comments_only")).toEqual({ canPost: false, notice: "Only teachers start posts in this class; you can comment on theirs." });
    expect(posting(false, "teachers_only")).toEqual({ canPost: false, notice: "Only teachers post or comment in this class." });
  });

  it("invites whoever may post to start, and tells the others whose posts to expect", () => {
    expect(emptyStreamText(false, true)).toContain("Start a discussion");
    expect(emptyStreamText(false, false)).toBe("Your teacher's posts will appear here.");
    expect(emptyStreamText(true, true)).toContain("announcement");
  });
});

describe("who may comment", () => {
  it("lets teachers comment always and students unless only teachers post or comment", () => {
    for (const policy of ["all_members", "comments_only", "teachers_only"] as const) expect(mayComment(true, policy)).toBe(true);
    expect(mayComment(false, "all_members")).toBe(true);
    expect(mayComment(false, "comments_only")).toBe(true);
    expect(mayComment(false, "teachers_only")).toBe(false);
  });
});
