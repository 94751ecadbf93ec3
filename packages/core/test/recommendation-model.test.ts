/** The recommendation model and its evaluation: pure code, no table. */
import { describe, expect, it } from "vitest";
import { type Interaction, scoreForUser, train, withPopular } from "../src/recommendation/model.ts";
import { evaluate, generate, measure, split } from "../src/recommendation/evaluation.ts";

/** Interactions from "user: item item item" lines, at increasing times. */
function histories(lines: string[]): Interaction[] {
  let at = 0;
  return lines.flatMap((line) => {
    const [user, items] = line.split(":") as [string, string];
    return items.trim().split(/\s+/).map((item) => ({ user, item, at: ++at }));
  });
}

describe("the model", () => {
  const data = histories(["u1: a b c", "u2: a b", "u3: a b d", "u4: c d", "u5: c d", "u6: a e"]);

  it("scores co-occurrence with cosine at a popularity discount of 0.5, dropping rare pairs", () => {
    const model = train(data, { minCoOccurrence: 2, popularityDiscount: 0.5 });
    // n(a)=4, n(b)=3, c(a,b)=3: 3 / sqrt(4*3)
    expect(model.neighbours.get("a")).toEqual([{ item: "b", score: 3 / Math.sqrt(12), together: 3 }]);
    // c(c,d)=2, n(c)=3, n(d)=3; c(c,a)=1 and c(c,b)=1 fall under the minimum.
    expect(model.neighbours.get("c")).toMatchObject([{ item: "d", together: 2 }]);
    expect(model.neighbours.get("c")![0]!.score).toBeCloseTo(2 / 3, 12);
    expect(model.neighbours.has("e")).toBe(false);
    // By users, then the most recently used first.
    expect(model.popular).toEqual([
      { item: "a", users: 4 },
      { item: "d", users: 3 },
      { item: "c", users: 3 },
      { item: "b", users: 3 },
      { item: "e", users: 1 },
    ]);
    expect(model).toMatchObject({ users: 6, items: 5, interactions: 14 });
  });

  it("discounts popular neighbours more as the discount grows", () => {
    // x is with everything; y is rare but always with q.
    const skewed = histories(["u1: q x", "u2: q x", "u3: q x y", "u4: q y", "u5: x", "u6: x", "u7: x", "u8: x"]);
    const order = (d: number) => train(skewed, { popularityDiscount: d, minCoOccurrence: 1 }).neighbours.get("q")!.map((n) => n.item);
    expect(order(0)).toEqual(["x", "y"]); // 3 of q's 4 users had x
    expect(order(1)).toEqual(["y", "x"]); // y's users all had q; x is everywhere
  });

  it("keeps the top K, counts a repeated interaction once, and limits each history to its newest items", () => {
    const many = histories(["u1: a b c d e f", "u2: a b c d e f", "u1: a a a"]);
    const model = train(many, { topK: 2, minCoOccurrence: 1 });
    expect(model.neighbours.get("a")).toHaveLength(2);
    expect(model.neighbours.get("a")![0]!.together).toBe(2);
    const recent = train(histories(["u1: old1 old2 new1 new2", "u2: old1 old2 new1 new2"]), { maxHistory: 2, minCoOccurrence: 1 });
    expect(recent.neighbours.has("old1")).toBe(false);
    expect(recent.neighbours.get("new1")!.map((n) => n.item)).toEqual(["new2"]);
  });

  it("is deterministic whatever the order of its input", () => {
    const shuffled = [...data].reverse();
    const entries = (model: ReturnType<typeof train>) => [...model.neighbours].sort(([a], [b]) => a.localeCompare(b));
    expect(entries(train(shuffled, { minCoOccurrence: 1 }))).toEqual(entries(train(data, { minCoOccurrence: 1 })));
    expect(train(shuffled).popular).toEqual(train(data).popular);
  });

  it("recommends by summed similarity to a history, never an item of it, then popular items", () => {
    const model = train(data, { minCoOccurrence: 1 });
    const ranked = scoreForUser(["a"], (item) => model.neighbours.get(item));
    expect(ranked[0]!.item).toBe("b");
    expect(ranked.map((r) => r.item)).not.toContain("a");
    const filled = withPopular(ranked.slice(0, 1), model.popular, 3, new Set(["a"]));
    expect(filled.map((r) => [r.item, r.reason])).toEqual([
      ["b", "similar"],
      ["d", "popular"],
      ["c", "popular"],
    ]);
    // A new person: popularity only.
    expect(withPopular([], model.popular, 2).map((r) => r.item)).toEqual(["a", "d"]);
  });
});

describe("the evaluation", () => {
  it("generates seeded data with the promised structure", () => {
    const one = generate({ users: 200, items: 80, seed: 7 });
    const two = generate({ users: 200, items: 80, seed: 7 });
    expect(one.interactions).toEqual(two.interactions);
    const perUser = new Map<string, Set<string>>();
    for (const x of one.interactions) perUser.set(x.user, (perUser.get(x.user) ?? new Set()).add(x.item));
    expect([...perUser.values()].every((items) => items.size >= 5)).toBe(true);
    // Distinct items per person.
    expect([...perUser.values()].reduce((n, s) => n + s.size, 0)).toBe(one.interactions.length);
    // A popularity skew: the top tenth of the items take far more than a tenth of the interactions.
    const counts = new Map<string, number>();
    for (const x of one.interactions) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, 8).reduce((a, b) => a + b, 0);
    expect(top / one.interactions.length).toBeGreaterThan(0.2);
  });

  it("splits 90/10 by user and holds out each test user's newest tenth", () => {
    const { interactions } = generate({ users: 500, items: 100, seed: 3 });
    const parts = split(interactions, 3);
    expect(parts.test.length).toBeGreaterThan(25);
    expect(parts.test.length).toBeLessThan(80);
    const trainUsers = new Set(parts.train.map((x) => x.user));
    for (const t of parts.test) {
      expect(trainUsers.has(t.user)).toBe(false);
      const mine = interactions.filter((x) => x.user === t.user).sort((a, b) => b.at - a.at);
      const held = Math.max(1, Math.round(mine.length * 0.1));
      expect([...t.heldOut].sort()).toEqual(mine.slice(0, held).map((x) => x.item).sort());
      expect(t.history).toEqual(mine.slice(held).map((x) => x.item));
    }
  });

  it("measures precision, recall, NDCG and coverage", () => {
    const test = [
      { user: "u1", history: ["a"], heldOut: new Set(["b", "c"]) },
      { user: "u2", history: ["a"], heldOut: new Set(["z"]) },
    ];
    const metrics = measure(() => ["b", "x", "c", "y", "w"], test, 10);
    expect(metrics.precisionAt5).toBeCloseTo((2 / 5 + 0) / 2);
    expect(metrics.recallAt5).toBeCloseTo((1 + 0) / 2);
    const dcg = 1 + 1 / Math.log2(4);
    const ideal = 1 + 1 / Math.log2(3);
    expect(metrics.ndcgAt5).toBeCloseTo(dcg / ideal / 2);
    expect(metrics.coverage).toBeCloseTo(5 / 10);
  });

  it("finds the model better than popularity and random on Precision@5 (small set)", () => {
    const result = evaluate({ users: 1_200, items: 200, topics: 8, seed: 11 });
    expect(result.interactions).toBeGreaterThan(20_000);
    expect(result.model.users).toBeGreaterThan(80);
    expect(result.model.precisionAt5).toBeGreaterThan(result.popularity.precisionAt5 * 1.3);
    expect(result.popularity.precisionAt5).toBeGreaterThan(result.random.precisionAt5);
    expect(result.model.ndcgAt5).toBeGreaterThan(result.popularity.ndcgAt5);
    expect(result.model.coverage).toBeGreaterThan(result.popularity.coverage);
  });
});
