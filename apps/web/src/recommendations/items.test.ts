import { describe, expect, it } from "vitest";
import { entriesOf, entryNote, isLinkedPost, itemHref, type Recommendations } from "./items.ts";

const rec = (item_type: "post" | "assignment" | "file", item_id: string, reason: "similar" | "popular" = "similar") => ({
  item_type,
  item_id,
  title: `${item_type} ${item_id}`,
  score: reason === "popular" ? 0 : 0.5,
  reason,
});

describe("recommendation entries", () => {
  it("link posts and assignments to their pages; files have no page", () => {
    expect(itemHref("c1", { item_type: "assignment", item_id: "a1" })).toBe("#/class/c1/classwork/a1");
    expect(itemHref("c1", { item_type: "post", item_id: "p1" })).toBe("#/class/c1/post/p1");
    expect(itemHref("c1", { item_type: "file", item_id: "f1" })).toBeUndefined();
  });

  it("say what an entry is, and when it is only popular", () => {
    expect(entryNote(rec("assignment", "a1"))).toBe("Assignment");
    expect(entryNote(rec("post", "p1", "popular"))).toBe("Post · popular in this class");
  });

  it("never list the item the panel is on, nor an item twice, and keep the order", () => {
    const data: Recommendations = {
      items: [rec("post", "p1"), rec("assignment", "a1"), rec("post", "p2"), rec("assignment", "a1", "popular")],
      trained_at: null,
    };
    expect(entriesOf(data, { item_type: "post", item_id: "p1" }).map((i) => i.item_id)).toEqual(["a1", "p2"]);
    expect(entriesOf(data).map((i) => i.item_id)).toEqual(["p1", "a1", "p2"]);
    expect(entriesOf(undefined)).toEqual([]);
    // The same id as another type is another item.
    expect(entriesOf({ items: [rec("assignment", "x")], trained_at: null }, { item_type: "post", item_id: "x" })).toHaveLength(1);
  });

  it("recognise a link to a post, and only to that post", () => {
    expect(isLinkedPost("#/class/c1/post/p1", "c1", "p1")).toBe(true);
    expect(isLinkedPost("#/class/c1/post/p1/", "c1", "p1")).toBe(true);
    expect(isLinkedPost("#/class/c1/post/p12", "c1", "p1")).toBe(false);
    expect(isLinkedPost("#/class/c1/message/p1", "c1", "p1")).toBe(false);
    expect(isLinkedPost("#/class/c2/post/p1", "c1", "p1")).toBe(false);
    expect(isLinkedPost("#/class/c1", "c1", "p1")).toBe(false);
  });
});
