import { afterEach, describe, expect, it } from "vitest";
import { clearDrafts, draftKey, readDraft, writeDraft } from "./drafts.ts";

afterEach(() => localStorage.clear());

describe("drafts", () => {
  const chat = draftKey("u1", { kind: "chat", classId: "c1" });

  it("keeps a draft per person and place, and drops an empty one", () => {
    writeDraft(chat, "Half a thought");
    expect(readDraft(chat)).toBe("Half a thought");
    expect(readDraft(draftKey("u2", { kind: "chat", classId: "c1" }))).toBe("");
    expect(readDraft(draftKey("u1", { kind: "chat", classId: "c2" }))).toBe("");
    expect(readDraft(draftKey("u1", { kind: "post", classId: "c1" }))).toBe("");
    writeDraft(chat, "   ");
    expect(localStorage.getItem(chat)).toBeNull();
  });

  it("forgets all of one person's drafts at sign-out, and nobody else's", () => {
    writeDraft(chat, "a");
    writeDraft(draftKey("u1", { kind: "comment", postId: "p1" }), "b");
    writeDraft(draftKey("u2", { kind: "chat", classId: "c1" }), "c");
    localStorage.setItem("classroom.session", "{}");
    clearDrafts("u1");
    expect(readDraft(chat)).toBe("");
    expect(readDraft(draftKey("u1", { kind: "comment", postId: "p1" }))).toBe("");
    expect(readDraft(draftKey("u2", { kind: "chat", classId: "c1" }))).toBe("c");
    expect(localStorage.getItem("classroom.session")).toBe("{}");
  });
});
