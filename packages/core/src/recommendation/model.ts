/**
 * The recommendation model: item-to-item similarity from co-occurrence in users' histories,
 * the recipe Amazon Personalize calls SIMS. Pure code, no I/O: the job feeds it a class's
 * interactions and stores what it answers; the evaluation feeds it synthetic ones.
 *
 * Two items are similar when the same people interact with both. For items i and j, with
 * n(i) the number of users who interacted with i and c(i, j) the number who interacted with
 * both, the similarity of j to i is
 *
 *     score(i -> j) = c(i, j) / ( n(i)^(1 - d) * n(j)^d )
 *
 * where d is the popularity discount. d = 0 gives "people who opened i also opened j" as a
 * plain share of i's users, which favours whatever everybody opens; d = 1 divides by j's own
 * popularity entirely; d = 0.5 is cosine similarity. Pairs seen together fewer than
 * `minCoOccurrence` times are dropped (one person's coincidence is not a pattern), and each
 * item keeps its `topK` best neighbours.
 *
 * Cost: O(sum over users of |history|^2) time with one dense counter per item, O(items)
 * scratch memory; never the items x items matrix.
 */

export interface Interaction {
  user: string;
  /** An item key: `${item_type}:${item_id}` in the product, anything unique in tests. */
  item: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface TrainingOptions {
  /** Neighbours kept per item. */
  topK: number;
  /** Users two items must share before they count as similar. */
  minCoOccurrence: number;
  /** 0 (no discount) .. 1 (full discount) of the neighbour's popularity; 0.5 is cosine. */
  popularityDiscount: number;
  /** Distinct items per user taken into account, newest first (bounds the quadratic cost of heavy users). */
  maxHistory: number;
  /** Items kept in the popularity list (the fallback for new users and new items). */
  popularCount: number;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  topK: 20,
  minCoOccurrence: 2,
  popularityDiscount: 0.5,
  maxHistory: 200,
  popularCount: 50,
};

export interface Neighbour {
  item: string;
  score: number;
  /** Users who interacted with both items. */
  together: number;
}

export interface Popular {
  item: string;
  /** Distinct users who interacted with the item. */
  users: number;
}

export interface Model {
  /** Each item's best neighbours, best first; items without any are absent. */
  neighbours: Map<string, Neighbour[]>;
  /** The most popular items, most popular first (ties: the most recently used first). */
  popular: Popular[];
  users: number;
  items: number;
  interactions: number;
  options: TrainingOptions;
}

/** Trains the model on interactions in any order. Deterministic: ties are broken by item key. */
export function train(interactions: Iterable<Interaction>, options: Partial<TrainingOptions> = {}): Model {
  const o = { ...DEFAULT_TRAINING, ...options };
  const itemIndex = new Map<string, number>();
  const itemKeys: string[] = [];
  const userIndex = new Map<string, number>();
  const userItems: number[][] = [];
  const userTimes: number[][] = [];
  let count = 0;
  for (const { user, item, at } of interactions) {
    count++;
    let i = itemIndex.get(item);
    if (i === undefined) {
      i = itemKeys.length;
      itemIndex.set(item, i);
      itemKeys.push(item);
    }
    let u = userIndex.get(user);
    if (u === undefined) {
      u = userItems.length;
      userIndex.set(user, u);
      userItems.push([]);
      userTimes.push([]);
    }
    userItems[u]!.push(i);
    userTimes[u]!.push(at);
  }
  const itemCount = itemKeys.length;
  const userCount = userItems.length;

  // Each user's distinct items, newest first, at most maxHistory (CSR layout).
  const seen = new Int32Array(itemCount).fill(-1);
  const lastAt = new Float64Array(itemCount).fill(-Infinity);
  const historyStart = new Int32Array(userCount + 1);
  const historyItems: number[] = [];
  for (let u = 0; u < userCount; u++) {
    const items = userItems[u]!;
    const times = userTimes[u]!;
    const order = items.map((_, k) => k).sort((a, b) => times[b]! - times[a]!);
    let kept = 0;
    for (const k of order) {
      const i = items[k]!;
      if (seen[i] === u) continue;
      seen[i] = u;
      if (times[k]! > lastAt[i]!) lastAt[i] = times[k]!;
      if (kept < o.maxHistory) {
        historyItems.push(i);
        kept++;
      }
    }
    historyStart[u + 1] = historyItems.length;
  }

  // n(i), and the users of each item (inverted index, CSR layout).
  const users = new Int32Array(itemCount);
  for (const i of historyItems) users[i]!++;
  const usersStart = new Int32Array(itemCount + 1);
  for (let i = 0; i < itemCount; i++) usersStart[i + 1] = usersStart[i]! + users[i]!;
  const fill = usersStart.slice(0, itemCount);
  const itemUsers = new Int32Array(historyItems.length);
  for (let u = 0; u < userCount; u++) {
    for (let k = historyStart[u]!; k < historyStart[u + 1]!; k++) itemUsers[fill[historyItems[k]!]!++] = u;
  }

  const d = o.popularityDiscount;
  const discounted = Float64Array.from(users, (n) => Math.pow(n, d));
  const own = Float64Array.from(users, (n) => Math.pow(n, 1 - d));
  const together = new Int32Array(itemCount);
  const touched = new Int32Array(itemCount);
  const neighbours = new Map<string, Neighbour[]>();
  for (let i = 0; i < itemCount; i++) {
    let touchedCount = 0;
    for (let k = usersStart[i]!; k < usersStart[i + 1]!; k++) {
      const u = itemUsers[k]!;
      for (let h = historyStart[u]!; h < historyStart[u + 1]!; h++) {
        const j = historyItems[h]!;
        if (j === i) continue;
        if (together[j] === 0) touched[touchedCount++] = j;
        together[j]!++;
      }
    }
    const candidates: Array<{ j: number; score: number; c: number }> = [];
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      const c = together[j]!;
      together[j] = 0;
      if (c >= o.minCoOccurrence) candidates.push({ j, score: c / (own[i]! * discounted[j]!), c });
    }
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => b.score - a.score || b.c - a.c || compareKeys(itemKeys[a.j]!, itemKeys[b.j]!));
    neighbours.set(
      itemKeys[i]!,
      candidates.slice(0, o.topK).map(({ j, score, c }) => ({ item: itemKeys[j]!, score, together: c })),
    );
  }

  const popular = itemKeys
    .map((item, i) => ({ item, users: users[i]!, at: lastAt[i]! }))
    .filter((p) => p.users > 0)
    .sort((a, b) => b.users - a.users || b.at - a.at || compareKeys(a.item, b.item))
    .slice(0, o.popularCount)
    .map(({ item, users: n }) => ({ item, users: n }));

  return { neighbours, popular, users: userCount, items: itemCount, interactions: count, options: o };
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface Scored {
  item: string;
  score: number;
}

/**
 * Items for a person, best first: each candidate scores the sum of its similarity to the
 * items in their history (the newest `historyLimit` of them). Items in `exclude` (by default
 * the whole history) are never returned.
 */
export function scoreForUser(
  history: readonly string[],
  neighboursOf: (item: string) => readonly Neighbour[] | undefined,
  options: { exclude?: ReadonlySet<string>; historyLimit?: number } = {},
): Scored[] {
  const exclude = options.exclude ?? new Set(history);
  const scores = new Map<string, number>();
  for (const item of history.slice(0, options.historyLimit ?? 50)) {
    for (const n of neighboursOf(item) ?? []) {
      if (exclude.has(n.item)) continue;
      scores.set(n.item, (scores.get(n.item) ?? 0) + n.score);
    }
  }
  return [...scores].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score || compareKeys(a.item, b.item));
}

/** `ranked`, then popular items not already there nor excluded, up to `limit` in all. */
export function withPopular<T extends Scored>(
  ranked: readonly T[],
  popular: readonly Popular[],
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): Array<(T & { reason: "similar" }) | (Scored & { reason: "popular" })> {
  const out: Array<(T & { reason: "similar" }) | (Scored & { reason: "popular" })> = ranked
    .slice(0, limit)
    .map((r) => ({ ...r, reason: "similar" as const }));
  const taken = new Set(out.map((r) => r.item));
  for (const p of popular) {
    if (out.length >= limit) break;
    if (taken.has(p.item) || exclude.has(p.item)) continue;
    taken.add(p.item);
    out.push({ item: p.item, score: 0, reason: "popular" });
  }
  return out;
}
