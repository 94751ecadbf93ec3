/**
 * Recommendations: "students who opened this also opened" for an item, and "recommended for
 * you" in a class, from item-to-item similarity over co-occurrence in people's histories
 * (model.ts), trained per class by a job (training.ts), served through a `Recommender`
 * (recommender.ts) and always filtered against what the reader may see now (items.ts).
 *
 * Interactions come from what people already do, through the table's stream (`consume`):
 * commenting on a post, turning in an assignment; and from an explicit "opened" signal the
 * web app sends for posts, assignments and materials (`record`), rate-limited and only for
 * items the caller can see. Each is stored once per person, item and day.
 */
import * as z from "zod";
import { isConditionFailure } from "../dynamo-errors.ts";
import { Timestamp } from "../fields.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS } from "../limits.ts";
import { requireMember } from "../membership/index.ts";
import * as RateLimit from "../ratelimit/index.ts";
import type { StreamConsumer, TableChange } from "../stream.ts";
import { db } from "../table.ts";
import { INTERACTION_KINDS, ITEM_TYPES } from "./entity.ts";
import { type ItemRef, type Reader, requireVisibleItem, visibleItems } from "./items.ts";
import { type Candidate, type Ranked, recommender } from "./recommender.ts";
import { markDue } from "./training.ts";

export { type Recommender, type Candidate, tableRecommender } from "./recommender.ts";
export { type ClassTraining, type RunOptions, type TrainingRun, dueClasses, markDue, trainClass, trainDue } from "./training.ts";
export type { ItemRef } from "./items.ts";

/** Interactions older than this are forgotten (TTL): the model follows recent use. */
export const INTERACTION_TTL_DAYS = 180;

export const ItemType = z.enum(ITEM_TYPES).meta({ description: "A post, an assignment, or a file (a class material or a post's attachment)" });
export type ItemType = z.output<typeof ItemType>;
export const InteractionKind = z.enum(INTERACTION_KINDS);

export const RecommendedItem = z
  .object({
    item_type: ItemType,
    item_id: z.string(),
    title: z.string().meta({ description: "A post's first words, an assignment's title or a file's name" }),
    score: z.number().meta({ description: "Similarity to the item (or to your history); 0 for popularity picks. Only the order is meaningful." }),
    reason: z.enum(["similar", "popular"]).meta({
      description: "`similar`: people who used one also used the other; `popular`: among the most used in the class (new items and new people)",
    }),
  })
  .meta({ id: "RecommendedItem" });
export type RecommendedItem = z.output<typeof RecommendedItem>;

export const Recommendations = z
  .object({
    items: z.array(RecommendedItem).meta({ description: "Best first; only items you can see now" }),
    trained_at: Timestamp.nullable().meta({ description: "When the class's model was last trained; null before its first training" }),
  })
  .meta({ id: "Recommendations" });
export type Recommendations = z.output<typeof Recommendations>;

const Limit = z.coerce.number().int().min(1).max(MAX_RECOMMENDATIONS).default(DEFAULT_RECOMMENDATIONS);

/**
 * Candidates asked of the recommender, whatever the limit: some may be hidden from the reader,
 * and they are checked lazily, a few at a time, only until `limit` of them pass.
 */
const CANDIDATES = 100;

/** The first `limit` candidates the reader may see, with their titles, checked a few at a time. */
async function serve(ranked: Ranked, reader: Reader, limit: number): Promise<Recommendations> {
  const items: RecommendedItem[] = [];
  const { candidates } = ranked;
  const chunk = Math.max(limit * 2, 10);
  for (let start = 0; start < candidates.length && items.length < limit; start += chunk) {
    const slice = candidates.slice(start, start + chunk);
    const shown = await visibleItems(slice, reader);
    const byKey = new Map(shown.map((item) => [`${item.item_type}:${item.item_id}`, item]));
    for (const candidate of slice) {
      const item = byKey.get(`${candidate.item_type}:${candidate.item_id}`);
      if (item && items.length < limit) items.push(toRecommended(candidate, item.title));
    }
  }
  return { items, trained_at: ranked.trained_at };
}

const toRecommended = (c: Candidate, title: string): RecommendedItem => ({
  item_type: c.item_type,
  item_id: c.item_id,
  title,
  score: c.reason === "popular" ? 0 : c.score,
  reason: c.reason,
});

export const SimilarInput = z.object({ item_type: ItemType, item_id: Id, limit: Limit });

/** Items like this one ("people who opened this also opened"), for someone who can see it. */
export const similar = fn(SimilarInput, Recommendations, async ({ item_type, item_id, limit }, actor) => {
  const { item, role } = await requireVisibleItem({ item_type, item_id }, actor);
  const ranked = await recommender().similar(item.class_id, { item_type, item_id }, CANDIDATES);
  return serve(ranked, { class_id: item.class_id, role }, limit);
});

export const ForClassInput = z.object({ class_id: Id, limit: Limit });

/**
 * For the caller in a class: items they have not interacted with, scored by similarity to
 * those they have; the class's popular items when that is not enough (a new person, a new class).
 */
export const forClass = fn(ForClassInput, Recommendations, async ({ class_id, limit }, actor) => {
  const role = await requireMember(class_id, actor);
  const ranked = await recommender().forUser(class_id, actor.userId, CANDIDATES);
  return serve(ranked, { class_id, role }, limit);
});

export const RecordInput = z.object({ item_type: ItemType, item_id: Id });
export const Recorded = z
  .object({
    recorded: z.boolean().meta({ description: "false when this item was already recorded for you today (once per person, item and day)" }),
  })
  .meta({ id: "InteractionRecorded" });

/**
 * The caller opened an item (the web app says so). Only for items they can see (else the
 * item's not-found error); rate-limited per person; stored once per person, item and day.
 */
export const record = fn(RecordInput, Recorded, async ({ item_type, item_id }, actor) => {
  await RateLimit.consume(actor.userId, "interaction");
  const { item } = await requireVisibleItem({ item_type, item_id }, actor);
  return { recorded: await store({ class_id: item.class_id, user_id: actor.userId, item: { item_type, item_id }, kind: "opened", at: new Date().toISOString() }) };
});

export interface NewInteraction {
  class_id: string;
  user_id: string;
  item: ItemRef;
  kind: z.output<typeof InteractionKind>;
  at: string;
}

/**
 * Stores an interaction unless that person already has one with that item that day, and puts
 * the class on the training queue. Checks nothing else: callers decide what counts.
 * Returns whether it was new.
 */
export async function store(x: NewInteraction): Promise<boolean> {
  const created = await db()
    .entities.interaction.create({
      class_id: x.class_id,
      user_id: x.user_id,
      ...x.item,
      day: x.at.slice(0, 10),
      kind: x.kind,
      at: x.at,
      expires_at: Math.floor(Date.parse(x.at) / 1000) + INTERACTION_TTL_DAYS * 86_400,
    })
    .go()
    .then(
      () => true,
      (error: unknown) => {
        if (isConditionFailure(error)) return false;
        throw error;
      },
    );
  if (created) await markDue(x.class_id, x.at);
  return created;
}

const ENTITY_FIELD = "__edb_e__";
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** The interaction a table change is, if any: a new comment on a post, an assignment turned in. */
export function interactionOf({ action, before, after, at }: TableChange): NewInteraction | undefined {
  if (!after || action === "remove") return undefined;
  const entity = after[ENTITY_FIELD];
  const class_id = text(after.class_id);
  if (!class_id) return undefined;
  if (entity === "comment" && action === "insert" && after.status === 1) {
    const user_id = text(after.author_id);
    const post_id = text(after.post_id);
    return user_id && post_id ? { class_id, user_id, item: { item_type: "post", item_id: post_id }, kind: "commented", at } : undefined;
  }
  if (entity === "submission" && after.state === "turned_in" && before?.state !== "turned_in") {
    const user_id = text(after.student_id);
    const assignment_id = text(after.assignment_id);
    return user_id && assignment_id ? { class_id, user_id, item: { item_type: "assignment", item_id: assignment_id }, kind: "turned_in", at } : undefined;
  }
  return undefined;
}

/**
 * The recommendations' work on the table's stream: interactions from comments and turn-ins.
 * A redelivered record carries the same time, so it finds its interaction already stored.
 */
export const consume: StreamConsumer = async (change) => {
  const interaction = interactionOf(change);
  if (interaction) await store(interaction);
};

/** Reads a person's stored interactions in a class (newest day first): for tests and tools. */
export async function interactionsOf(class_id: string, user_id: string) {
  const { data } = await db().entities.interaction.query.byClass({ class_id, user_id }).go({ order: "desc", pages: "all" });
  return data.filter((x) => x.user_id === user_id);
}
