/**
 * The training job: for each class with new interactions, read them (one paginated Query of
 * the class's partition), train the model (model.ts, in memory) and store each item's
 * neighbours and the class's popularity list. Never a Scan: the classes to train come from
 * the sparse `due` index (entity.ts), which a new interaction puts its class on.
 *
 * A class is taken off the index BEFORE its interactions are read, so an interaction written
 * while it trains puts it back on for the next run; a class whose training fails is put back
 * on too. Runs are safe to overlap (a class is taken by one of them: the removal is
 * conditional on the entry it read) and to repeat.
 */
import { isConditionFailure } from "../dynamo-errors.ts";
import { db } from "../table.ts";
import { type Interaction, type TrainingOptions, train } from "./model.ts";
import { keyOf, refOf } from "./items.ts";

export interface ClassTraining {
  class_id: string;
  interactions: number;
  users: number;
  items: number;
  /** Items given neighbours. */
  with_neighbours: number;
  trained_at: string;
  duration_ms: number;
}

/** Puts the class on the training queue, unless it is already there. */
export async function markDue(class_id: string, at = new Date().toISOString()): Promise<void> {
  await db()
    .entities.recommendationModel.update({ class_id })
    .set({ due_since: at, queue: "training" })
    .where((a, op) => op.notExists(a.due_since))
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Trains one class now, from all its stored interactions. Teachers' own interactions are left out: they open everything. */
export async function trainClass(class_id: string, options: Partial<TrainingOptions> = {}): Promise<ClassTraining> {
  const started = performance.now();
  const [{ data: stored }, { data: members }] = await Promise.all([
    db().entities.interaction.query.byClass({ class_id }).go({ pages: "all" }),
    db().entities.membership.query.byClass({ class_id }).go({ pages: "all" }),
  ]);
  const teachers = new Set(members.filter((m) => m.role === "teacher").map((m) => m.user_id));
  const now = Date.now();
  const interactions: Interaction[] = stored
    .filter((x) => !teachers.has(x.user_id) && (x.expires_at === undefined || x.expires_at * 1000 > now))
    .map((x) => ({ user: x.user_id, item: keyOf(x), at: Date.parse(x.at) }));
  const model = train(interactions, options);
  const trained_at = new Date().toISOString();

  const records = [...model.neighbours].map(([key, neighbours]) => ({
    class_id,
    ...refOf(key),
    neighbours: neighbours.map((n) => ({ ...refOf(n.item), score: Number(n.score.toPrecision(6)) })),
    trained_at,
  }));
  if (records.length > 0) {
    const { unprocessed } = await db().entities.itemNeighbours.put(records).go({ concurrency: 4 });
    if (unprocessed.length > 0) throw new Error(`recommendations: ${unprocessed.length} neighbour records of class ${class_id} not written`);
  }
  // Items that had neighbours before and have none now.
  const { data: stale } = await db()
    .entities.itemNeighbours.query.byClass({ class_id })
    .where((a, op) => op.ne(a.trained_at, trained_at))
    .go({ pages: "all", attributes: ["class_id", "item_type", "item_id"] });
  if (stale.length > 0) await db().entities.itemNeighbours.delete(stale).go({ concurrency: 4 });

  const duration_ms = Math.round(performance.now() - started);
  await db()
    .entities.recommendationModel.update({ class_id })
    .set({
      trained_at,
      interactions: model.interactions,
      users: model.users,
      items: model.items,
      duration_ms,
      popular: model.popular.map((p) => ({ ...refOf(p.item), users: p.users })),
    })
    .go();
  return { class_id, interactions: model.interactions, users: model.users, items: model.items, with_neighbours: records.length, trained_at, duration_ms };
}

export interface TrainingRun {
  trained: ClassTraining[];
  failed: Array<{ class_id: string; error: unknown }>;
  /** Due classes left for the next run (out of time). */
  left: number;
  duration_ms: number;
}

export interface RunOptions {
  /** Stop taking classes once this much time has passed (the rest stay due). */
  budgetMs?: number;
  /** Called before each class and once at the end (`done === total`). */
  onProgress?: (done: number, total: number, class_id: string | undefined) => void;
  training?: Partial<TrainingOptions>;
}

/** Every class whose interactions changed since it was last trained, oldest change first. */
export async function dueClasses(): Promise<Array<{ class_id: string; due_since: string }>> {
  const { data } = await db().entities.recommendationModel.query.due({ queue: "training" }).go({ pages: "all" });
  return data.filter((d) => d.due_since !== undefined).map((d) => ({ class_id: d.class_id, due_since: d.due_since! }));
}

/** Trains the due classes, one at a time, within the time budget. */
export async function trainDue(options: RunOptions = {}): Promise<TrainingRun> {
  const started = performance.now();
  const due = await dueClasses();
  const run: TrainingRun = { trained: [], failed: [], left: 0, duration_ms: 0 };
  for (const [index, { class_id, due_since }] of due.entries()) {
    if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) {
      run.left = due.length - index;
      break;
    }
    options.onProgress?.(index, due.length, class_id);
    const taken = await db()
      .entities.recommendationModel.patch({ class_id })
      .remove(["due_since", "queue"])
      .where((a, op) => op.eq(a.due_since, due_since))
      .go()
      .then(
        () => true,
        (error: unknown) => {
          if (isConditionFailure(error)) return false; // another run took it
          throw error;
        },
      );
    if (!taken) continue;
    try {
      run.trained.push(await trainClass(class_id, options.training));
    } catch (error) {
      run.failed.push({ class_id, error });
      await markDue(class_id, due_since).catch(() => undefined);
    }
  }
  options.onProgress?.(due.length - run.left, due.length, undefined);
  run.duration_ms = Math.round(performance.now() - started);
  return run;
}
