/**
 * Offline evaluation of the recommendation model, the way Amazon Personalize evaluates a
 * solution version, on synthetic interactions with a known structure. Pure code, seeded: the
 * same parameters always give the same data, split and figures.
 *
 * The generator: items belong to topics and have a popularity drawn from a Zipf law; each
 * student prefers a few topics. Each interaction is, with probability `noise`, any item picked
 * by popularity alone, otherwise an item of one of the student's topics picked by popularity
 * within the topic. A student never interacts with the same item twice; their interactions
 * come at increasing times.
 *
 * The split: 90 % of the users (at random) train the model; for each of the other 10 %, the
 * older 90 % of their interactions are the history the recommender is given, and the newest
 * 10 % (at least one) are what it should find. Metrics average over those test users, each
 * given 5 recommendations that exclude their history.
 */
import { type Interaction, type Model, type Popular, type TrainingOptions, scoreForUser, train, withPopular } from "./model.ts";

/** A small, fast, seedable PRNG (mulberry32): uniform in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  seed: number;
  users: number;
  items: number;
  topics: number;
  /** Favourite topics per student. */
  topicsPerUser: number;
  /** Mean interactions per student (geometric around it, at least `minPerUser`). */
  meanPerUser: number;
  minPerUser: number;
  /** Zipf exponent of item popularity: 0 = all equal, 1 = classic long tail. */
  popularitySkew: number;
  /** Share of interactions that ignore the student's topics. */
  noise: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = {
  seed: 16,
  users: 2_500,
  items: 600,
  topics: 12,
  topicsPerUser: 2,
  meanPerUser: 24,
  minPerUser: 5,
  popularitySkew: 1,
  noise: 0.2,
};

/** Draws an index from cumulative weights (binary search). */
function pick(cumulative: Float64Array, next: () => number): number {
  const target = next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const cumulate = (weights: number[]) => {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
};

/** Synthetic interactions (see the module's comment). */
export function generate(options: Partial<GeneratorOptions> = {}): { interactions: Interaction[]; items: string[]; options: GeneratorOptions } {
  const o = { ...DEFAULT_GENERATOR, ...options };
  const next = random(o.seed);
  const items = Array.from({ length: o.items }, (_, i) => `item:${i}`);
  // Popularity ranks are shuffled over items, so topics get a mix of head and tail items.
  const rank = items.map((_, i) => i);
  for (let i = rank.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const weight = rank.map((r) => 1 / Math.pow(r + 1, o.popularitySkew));
  const topicOf = items.map(() => Math.floor(next() * o.topics));
  const byTopic = Array.from({ length: o.topics }, () => [] as number[]);
  topicOf.forEach((t, i) => byTopic[t]!.push(i));
  const topicCumulative = byTopic.map((members) => cumulate(members.map((i) => weight[i]!)));
  const globalCumulative = cumulate(weight);

  const interactions: Interaction[] = [];
  const start = Date.UTC(2026, 0, 5);
  for (let u = 0; u < o.users; u++) {
    const user = `user:${u}`;
    const favourites: number[] = [];
    while (favourites.length < Math.min(o.topicsPerUser, o.topics)) {
      const t = Math.floor(next() * o.topics);
      if (!favourites.includes(t) && byTopic[t]!.length > 0) favourites.push(t);
    }
    // Geometric around the mean, at least minPerUser, never more than the catalog.
    const extra = Math.floor(Math.log(1 - next()) / Math.log(1 - 1 / Math.max(1.01, o.meanPerUser - o.minPerUser + 1)));
    const count = Math.min(o.items, o.minPerUser + extra);
    const taken = new Set<number>();
    let at = start + Math.floor(next() * 7 * 86_400_000);
    for (let tries = 0; taken.size < count && tries < count * 20; tries++) {
      let i: number;
      if (next() < o.noise) i = pick(globalCumulative, next);
      else {
        // The first favourite topic is the strongest.
        const t = favourites[next() < 0.6 ? 0 : Math.floor(next() * favourites.length)]!;
        i = byTopic[t]![pick(topicCumulative[t]!, next)]!;
      }
      if (taken.has(i)) continue;
      taken.add(i);
      at += 60_000 + Math.floor(next() * 2 * 86_400_000);
      interactions.push({ user, item: items[i]!, at });
    }
  }
  return { interactions, items, options: o };
}

export interface Split {
  /** The training users' interactions. */
  train: Interaction[];
  /** Per test user: their history (older 90 %, newest first) and the held-out newest 10 %. */
  test: Array<{ user: string; history: string[]; heldOut: Set<string> }>;
}

/** Personalize's split: 90/10 by user; each test user's newest 10 % held out (at least one). */
export function split(interactions: readonly Interaction[], seed: number, testShare = 0.1): Split {
  const byUser = new Map<string, Interaction[]>();
  for (const x of interactions) {
    let list = byUser.get(x.user);
    if (!list) byUser.set(x.user, (list = []));
    list.push(x);
  }
  const next = random(seed ^ 0x5eed);
  const result: Split = { train: [], test: [] };
  for (const [user, list] of byUser) {
    if (next() >= testShare || list.length < 2) {
      result.train.push(...list);
      continue;
    }
    const newestFirst = [...list].sort((a, b) => b.at - a.at);
    const held = Math.max(1, Math.round(list.length * 0.1));
    result.test.push({
      user,
      history: newestFirst.slice(held).map((x) => x.item),
      heldOut: new Set(newestFirst.slice(0, held).map((x) => x.item)),
    });
  }
  return result;
}

export interface Metrics {
  precisionAt5: number;
  recallAt5: number;
  ndcgAt5: number;
  /** Distinct items recommended to anyone, over the catalog. */
  coverage: number;
  users: number;
}

export const K = 5;

/** A way to recommend: K items for a test user's history (never one of its items). */
export type Strategy = (user: { user: string; history: string[] }) => string[];

/** The metrics of a strategy over the split's test users. */
export function measure(strategy: Strategy, test: Split["test"], catalogSize: number): Metrics {
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  const recommended = new Set<string>();
  for (const t of test) {
    const list = strategy(t).slice(0, K);
    let hits = 0;
    let dcg = 0;
    list.forEach((item, rank) => {
      recommended.add(item);
      if (t.heldOut.has(item)) {
        hits++;
        dcg += 1 / Math.log2(rank + 2);
      }
    });
    let ideal = 0;
    for (let rank = 0; rank < Math.min(K, t.heldOut.size); rank++) ideal += 1 / Math.log2(rank + 2);
    precision += hits / K;
    recall += hits / t.heldOut.size;
    ndcg += ideal > 0 ? dcg / ideal : 0;
  }
  const n = Math.max(1, test.length);
  return { precisionAt5: precision / n, recallAt5: recall / n, ndcgAt5: ndcg / n, coverage: recommended.size / catalogSize, users: test.length };
}

/** The model as the product serves it: similar to the history, then popular items. */
export function modelStrategy(model: Model): Strategy {
  return ({ history }) => {
    const exclude = new Set(history);
    const ranked = scoreForUser(history, (item) => model.neighbours.get(item), { exclude });
    return withPopular(ranked, model.popular, K, exclude).map((r) => r.item);
  };
}

/** The baseline: the most popular items the person has not had. */
export function popularityStrategy(popular: readonly Popular[]): Strategy {
  return ({ history }) => withPopular([], popular, K, new Set(history)).map((r) => r.item);
}

/** The other baseline: items at random (seeded), none from the history. */
export function randomStrategy(items: readonly string[], seed: number): Strategy {
  const next = random(seed);
  return ({ history }) => {
    const exclude = new Set(history);
    const out = new Set<string>();
    while (out.size < Math.min(K, items.length - exclude.size)) {
      const item = items[Math.floor(next() * items.length)]!;
      if (!exclude.has(item)) out.add(item);
    }
    return [...out];
  };
}

export interface Evaluation {
  generator: GeneratorOptions;
  training: TrainingOptions & { trainMs: number };
  interactions: number;
  trainInteractions: number;
  model: Metrics;
  popularity: Metrics;
  random: Metrics;
  /** The held-out items themselves (up to 5): the ceiling any recommender could reach on this split. */
  best: Metrics;
}

/** Generates, splits, trains and measures the model beside both baselines. */
export function evaluate(generator: Partial<GeneratorOptions> = {}, training: Partial<TrainingOptions> = {}): Evaluation {
  const data = generate(generator);
  const parts = split(data.interactions, data.options.seed);
  const started = performance.now();
  const model = train(parts.train, training);
  const trainMs = performance.now() - started;
  const catalog = data.items.length;
  return {
    generator: data.options,
    training: { ...model.options, trainMs },
    interactions: data.interactions.length,
    trainInteractions: parts.train.length,
    model: measure(modelStrategy(model), parts.test, catalog),
    popularity: measure(popularityStrategy(model.popular), parts.test, catalog),
    random: measure(randomStrategy(data.items, data.options.seed + 1), parts.test, catalog),
    best: measure((user) => [...parts.test.find((t) => t.user === user.user)!.heldOut], parts.test, catalog),
  };
}
