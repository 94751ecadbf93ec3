import { Entity } from "../entity.ts";

/** What can be recommended: posts, assignments and class materials (files on posts and assignments). */
export const ITEM_TYPES = ["post", "assignment", "file"] as const;
/** How an interaction came about: opened (the explicit signal), or a write the stream saw. */
export const INTERACTION_KINDS = ["opened", "commented", "turned_in"] as const;

/**
 * One person's interaction with one item on one day, in the item's class partition: training
 * reads a class's interactions with one Query, serving reads one person's, newest day first,
 * by key prefix. The key makes it unique per (user, day, item), so it is written with a conditional create and a
 * repeat (a second opening that day, a redelivered stream record) writes nothing.
 * Expires (TTL) after `INTERACTION_TTL_DAYS`: the model follows recent use.
 */
export const InteractionEntity = new Entity({
  model: { entity: "interaction", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    user_id: { type: "string", required: true, readOnly: true },
    item_type: { type: ITEM_TYPES, required: true, readOnly: true },
    item_id: { type: "string", required: true, readOnly: true },
    /** UTC day (YYYY-MM-DD). */
    day: { type: "string", required: true, readOnly: true },
    kind: { type: INTERACTION_KINDS, required: true, readOnly: true },
    at: { type: "string", required: true, readOnly: true },
    expires_at: { type: "number", required: true },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["user_id", "day", "item_type", "item_id"], casing: "none" },
    },
  },
});

/**
 * An item's nearest neighbours as the last training left them, in the item's class partition
 * (one GetItem for "similar", a BatchGet for a person's history). Not filtered: serving checks
 * every neighbour against the reader's current rights.
 */
export const ItemNeighboursEntity = new Entity({
  model: { entity: "itemNeighbours", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    item_type: { type: ITEM_TYPES, required: true, readOnly: true },
    item_id: { type: "string", required: true, readOnly: true },
    neighbours: {
      type: "list",
      required: true,
      items: {
        type: "map",
        properties: {
          item_type: { type: ITEM_TYPES, required: true },
          item_id: { type: "string", required: true },
          score: { type: "number", required: true },
        },
      },
    },
    trained_at: { type: "string", required: true },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: ["item_type", "item_id"], casing: "none" },
    },
  },
});

/**
 * A class's recommendation model: when it was trained, on what, and the class's most popular
 * items (the fallback for new people and new items). It is also the training queue: a new
 * interaction sets `due_since` (only if unset), which puts the class in the sparse `due`
 * index; the job lists that index, takes a class off it, then trains it. Only the change from
 * "not due" to "due" writes to the index, so the index's one partition sees about one write
 * per class per training period, not one per interaction.
 */
export const RecommendationModelEntity = new Entity({
  model: { entity: "recommendationModel", version: "1", service: "classroom" },
  attributes: {
    class_id: { type: "string", required: true, readOnly: true },
    /** Set (to its one value) together with `due_since`: the `due` index's partition. */
    queue: { type: ["training"] as const },
    due_since: { type: "string" },
    trained_at: { type: "string" },
    interactions: { type: "number" },
    users: { type: "number" },
    items: { type: "number" },
    duration_ms: { type: "number" },
    popular: {
      type: "list",
      items: {
        type: "map",
        properties: {
          item_type: { type: ITEM_TYPES, required: true },
          item_id: { type: "string", required: true },
          users: { type: "number", required: true },
        },
      },
    },
  },
  indexes: {
    byClass: {
      pk: { field: "pk", composite: ["class_id"], casing: "none" },
      sk: { field: "sk", composite: [], casing: "none" },
    },
    due: {
      index: "gsi1",
      condition: (attr) => attr.due_since !== undefined,
      pk: { field: "gsi1pk", composite: ["queue"], casing: "none" },
      sk: { field: "gsi1sk", composite: ["due_since"], casing: "none" },
    },
  },
});
