/**
 * Where recommendations come from, behind one interface. `TableRecommender` serves the model
 * the training job stores in the table; an implementation backed by Amazon Personalize would
 * call GetRecommendations on a SIMS campaign (`similar`, with the item id) and on a
 * user-personalization campaign (`forUser`, with the user id) and return the same shape.
 *
 * A recommender only ranks candidates. It is not trusted with access: the domain functions
 * (index.ts) drop every candidate the reader may not see (items.ts) before answering, so a
 * recommender may return other classes' items, deleted ones or drafts without harm. That is
 * also why it is asked for more candidates than the caller wants.
 */
import { db } from "../table.ts";
import { type Neighbour, type Popular, scoreForUser, withPopular } from "./model.ts";
import { type ItemRef, keyOf, refOf } from "./items.ts";

export interface Candidate extends ItemRef {
  score: number;
  /** `similar`: from the model; `popular`: the class's popularity fallback. */
  reason: "similar" | "popular";
}

export interface Ranked {
  candidates: Candidate[];
  /** When the model answering was trained; null when the class has none yet. */
  trained_at: string | null;
}

export interface Recommender {
  /** Items like this one (never itself), best first. */
  similar(class_id: string, item: ItemRef, count: number): Promise<Ranked>;
  /** Items for this person in this class that they have not interacted with, best first. */
  forUser(class_id: string, user_id: string, count: number): Promise<Ranked>;
}

/** A person's interactions read when recommending: their most recent ones (newest days first). */
const HISTORY_READ = 1_000;
/** Of those, the distinct items whose neighbours are combined. */
const HISTORY_USED = 50;

type Stored = { item_type: ItemRef["item_type"]; item_id: string };
const toNeighbours = (list: ReadonlyArray<Stored & { score: number }>): Neighbour[] =>
  list.map((n) => ({ item: keyOf(n), score: n.score, together: 0 }));
const toPopular = (list: ReadonlyArray<Stored & { users: number }> | undefined): Popular[] =>
  (list ?? []).map((p) => ({ item: keyOf(p), users: p.users }));

function candidates(list: ReturnType<typeof withPopular>): Candidate[] {
  return list.map(({ item, score, reason }) => ({ ...refOf(item), score: Number(score.toPrecision(6)), reason }));
}

async function model(class_id: string) {
  const { data } = await db().entities.recommendationModel.get({ class_id }).go();
  return { popular: toPopular(data?.popular), trained_at: data?.trained_at ?? null };
}

/** The model the training job stores in the table (training.ts). */
export const tableRecommender: Recommender = {
  async similar(class_id, item, count) {
    const [{ data }, { popular, trained_at }] = await Promise.all([
      db().entities.itemNeighbours.get({ class_id, ...item }).go(),
      model(class_id),
    ]);
    const self = keyOf(item);
    const ranked = toNeighbours(data?.neighbours ?? []).filter((n) => n.item !== self);
    return { candidates: candidates(withPopular(ranked, popular, count, new Set([self]))), trained_at };
  },

  async forUser(class_id, user_id, count) {
    const [{ data: interactions }, { popular, trained_at }] = await Promise.all([
      db().entities.interaction.query.byClass({ class_id, user_id }).go({ order: "desc", limit: HISTORY_READ, count: HISTORY_READ }),
      model(class_id),
    ]);
    // Newest first, each item once (the key orders by day only, so sort by time within it).
    const history = [
      ...new Set(
        interactions
          .filter((x) => x.user_id === user_id)
          .sort((a, b) => b.at.localeCompare(a.at))
          .map(keyOf),
      ),
    ];
    const used = history.slice(0, HISTORY_USED);
    const { data: stored } = used.length
      ? await db()
          .entities.itemNeighbours.get(used.map((key) => ({ class_id, ...refOf(key) })))
          .go()
      : { data: [] };
    const neighbours = new Map(stored.map((s) => [keyOf(s), toNeighbours(s.neighbours)]));
    const exclude = new Set(history);
    const ranked = scoreForUser(used, (key) => neighbours.get(key), { exclude, historyLimit: HISTORY_USED });
    return { candidates: candidates(withPopular(ranked, popular, count, exclude)), trained_at };
  },
};

/** The recommender the API uses. */
export const recommender = (): Recommender => tableRecommender;
