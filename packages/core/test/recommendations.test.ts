/** Recommendations on DynamoDB Local: recording interactions, the training job, serving, and never leaking. */
import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Comment from "../src/comment/index.ts";
import { newId } from "../src/ids.ts";
import * as Post from "../src/post/index.ts";
import * as RateLimit from "../src/ratelimit/index.ts";
import * as Recommendation from "../src/recommendation/index.ts";
import * as Submission from "../src/submission/index.ts";
import { db } from "../src/table.ts";
import { type TestClass, code, makeClass, makeUser } from "./factory.ts";
import * as Membership from "../src/membership/index.ts";

type ItemType = Recommendation.ItemType;
const open = (actor: Actor, item_type: ItemType, item_id: string) => Recommendation.record({ item_type, item_id }, actor);
const post = async (klass: TestClass, content = "A post") => (await Post.create({ class_id: klass.class_id, content }, klass.teacher)).post_id;
const assignment = async (klass: TestClass, state: "draft" | "published" = "published", title = "Work") =>
  (await Assignment.create({ class_id: klass.class_id, title, state }, klass.teacher)).assignment_id;
/** A ready file attached to a parent, written straight to the table (visibility reads only the table). */
async function material(klass: TestClass, parent: { type: "assignment" | "post"; id: string }, filename = "notes.pdf") {
  const file_id = newId();
  await db()
    .entities.file.create({
      file_id,
      class_id: klass.class_id,
      purpose: parent.type === "post" ? "post" : "material",
      owner_id: klass.teacher.userId,
      owner_name: klass.teacher.name,
      filename,
      content_type: "application/pdf",
      size: 10,
      status: "ready",
      created_at: new Date().toISOString(),
      parent_type: parent.type,
      parent_id: parent.id,
    })
    .go();
  return file_id;
}
/** Stores a history straight into a class's partition, whatever the items (as a bug or old data could). */
async function inject(class_id: string, user_id: string, items: Array<[ItemType, string]>) {
  let t = Date.now() - 86_400_000;
  for (const [item_type, item_id] of items) {
    await Recommendation.store({ class_id, user_id, item: { item_type, item_id }, kind: "opened", at: new Date((t += 60_000)).toISOString() });
  }
}
const ids = (result: Recommendation.Recommendations) => result.items.map((i) => i.item_id);

describe("interactions", () => {
  it("records an opened item once per person and day, only for items the caller can see", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const outsider = await makeUser();
    const p = await post(klass);
    const draft = await assignment(klass, "draft");

    expect(await open(alex, "post", p)).toEqual({ recorded: true });
    expect(await open(alex, "post", p)).toEqual({ recorded: false });
    expect(await code(open(alex, "assignment", draft))).toBe("assignment.not_found");
    expect(await open(klass.teacher, "assignment", draft)).toEqual({ recorded: true });
    expect(await code(open(outsider, "post", p))).toBe("post.not_found");
    expect(await code(open(outsider, "post", newId()))).toBe("post.not_found");
    expect(await code(open(alex, "file", newId()))).toBe("file.not_found");
    await Post.remove({ post_id: p }, klass.teacher);
    expect(await code(open(alex, "post", p))).toBe("post.not_found");

    const stored = await Recommendation.interactionsOf(klass.class_id, alex.userId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ item_type: "post", item_id: p, kind: "opened", day: new Date().toISOString().slice(0, 10) });
    expect(stored[0]!.expires_at * 1000).toBeGreaterThan(Date.now() + 170 * 86_400_000);
    expect((await Recommendation.dueClasses()).map((d) => d.class_id)).toContain(klass.class_id);
  });

  it("limits how many items a person can report opening in a minute", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const p = await post(klass);
    for (let i = 0; i < RateLimit.LIMITS.interaction.max; i++) await RateLimit.consume(alex.userId, "interaction");
    expect(await code(open(alex, "post", p))).toBe("rate.limited");
    expect(await Recommendation.interactionsOf(klass.class_id, alex.userId)).toHaveLength(0);
  });

  it("turns new comments and turn-ins on the stream into interactions, once however often delivered", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const p = await post(klass);
    const a = await assignment(klass);
    const comment = await Comment.create({ post_id: p, content: "Nice" }, alex);
    const at = new Date().toISOString();
    const commented = {
      event_id: `c-${comment.comment_id}`,
      action: "insert" as const,
      at,
      after: { __edb_e__: "comment", class_id: klass.class_id, post_id: p, comment_id: comment.comment_id, author_id: alex.userId, status: 1 },
    };
    await Recommendation.consume(commented);
    await Recommendation.consume(commented); // redelivered
    await Submission.turnIn({ assignment_id: a }, sam);
    const submission = { __edb_e__: "submission", class_id: klass.class_id, assignment_id: a, student_id: sam.userId };
    await Recommendation.consume({ event_id: "t1", action: "modify", at, before: { ...submission, state: "new" }, after: { ...submission, state: "turned_in" } });
    // Not interactions: a deleted comment, a reclaim, a grade on turned-in work.
    await Recommendation.consume({ ...commented, event_id: "c2", action: "modify", before: commented.after, after: { ...commented.after, status: 0 } });
    await Recommendation.consume({ event_id: "t2", action: "modify", at, before: { ...submission, state: "turned_in" }, after: { ...submission, state: "reclaimed" } });
    await Recommendation.consume({ event_id: "t3", action: "modify", at, before: { ...submission, state: "turned_in" }, after: { ...submission, state: "turned_in", draft_grade: 9 } });

    expect((await Recommendation.interactionsOf(klass.class_id, alex.userId)).map((x) => [x.item_type, x.item_id, x.kind])).toEqual([["post", p, "commented"]]);
    expect((await Recommendation.interactionsOf(klass.class_id, sam.userId)).map((x) => [x.item_type, x.item_id, x.kind])).toEqual([["assignment", a, "turned_in"]]);
  });
});

describe("training and serving", () => {
  it("recommends what people with the same history used, then the class's popular items", async () => {
    const klass = await makeClass({ students: 7 });
    const [s1, s2, s3, s4, s5, s6, newcomer] = klass.students as [Actor, Actor, Actor, Actor, Actor, Actor, Actor];
    const [p1, p2, p3, p4] = [await post(klass, "Cells"), await post(klass, "Mitosis"), await post(klass, "Plants"), await post(klass, "Roots")];
    const [a1, a2] = [await assignment(klass, "published", "Cell lab"), await assignment(klass, "published", "Leaf lab")];
    const opens: Array<[Actor, ItemType, string[]]> = [
      [s1, "post", [p1, p2]], [s1, "assignment", [a1]],
      [s2, "post", [p1, p2]], [s2, "assignment", [a1]],
      [s3, "post", [p1, p2, p3]], [s3, "assignment", [a1]],
      [s4, "post", [p1]],
      [s5, "post", [p3, p4]], [s5, "assignment", [a2]],
      [s6, "post", [p3, p4]], [s6, "assignment", [a2]],
      // The teacher opens everything: left out of training.
      [klass.teacher, "post", [p4, p3, p2, p1]], [klass.teacher, "assignment", [a2, a1]],
    ];
    for (const [who, type, items] of opens) for (const id of items) await open(who, type, id);

    const before = await Recommendation.forClass({ class_id: klass.class_id }, s4);
    expect(before.trained_at).toBeNull();
    expect(before.items).toEqual([]);

    const trained = await Recommendation.trainClass(klass.class_id);
    expect(trained).toMatchObject({ users: 6, items: 6, interactions: 17 });

    const similar = await Recommendation.similar({ item_type: "post", item_id: p1 }, s4);
    expect(similar.trained_at).toBe(trained.trained_at);
    expect(ids(similar).slice(0, 2).sort()).toEqual([p2, a1].sort());
    expect(similar.items[0]).toMatchObject({ reason: "similar", title: expect.stringMatching(/Mitosis|Cell lab/) });
    expect(ids(similar)).not.toContain(p1);

    const forS4 = await Recommendation.forClass({ class_id: klass.class_id, limit: 4 }, s4);
    expect(forS4.items).toHaveLength(4);
    expect(ids(forS4).slice(0, 2).sort()).toEqual([p2, a1].sort());
    expect(forS4.items.slice(0, 2).every((i) => i.reason === "similar")).toBe(true);
    expect(ids(forS4)).not.toContain(p1); // already opened

    // A newcomer: the class's popular items, most used first (p1 by four, then p2, p3, a1 by three).
    const forNewcomer = await Recommendation.forClass({ class_id: klass.class_id, limit: 2 }, newcomer);
    expect(forNewcomer.items.map((i) => [i.item_id, i.reason, i.score])).toEqual([
      [p1, "popular", 0],
      [expect.any(String), "popular", 0],
    ]);

    // A new item: popular items instead (never itself).
    const p5 = await post(klass, "Fresh");
    const forNew = await Recommendation.similar({ item_type: "post", item_id: p5, limit: 3 }, s1);
    expect(forNew.items.map((i) => i.reason)).toEqual(["popular", "popular", "popular"]);
    expect(ids(forNew)[0]).toBe(p1);
    expect(ids(forNew)).not.toContain(p5);

    expect(await code(Recommendation.forClass({ class_id: klass.class_id, limit: 21 }, s1))).toBe("input.invalid");
  });

  it("still fills the list when the best candidates are hidden from the reader", async () => {
    const klass = await makeClass({ students: 3 });
    const anchor = await post(klass, "Anchor");
    const drafts = [];
    for (let i = 0; i < 12; i++) drafts.push(await assignment(klass, "draft", `Draft ${i}`));
    const shown = [await post(klass, "One"), await post(klass, "Two"), await post(klass, "Three")];
    // As similar as the posts, and first on ties ("assignment:…" sorts before "post:…").
    const history: Array<[ItemType, string]> = [["post", anchor], ...drafts.map((id): [ItemType, string] => ["assignment", id]), ...shown.map((id): [ItemType, string] => ["post", id])];
    for (const s of klass.students) await inject(klass.class_id, s.userId, history);
    await Recommendation.trainClass(klass.class_id);
    const result = await Recommendation.similar({ item_type: "post", item_id: anchor, limit: 3 }, klass.students[0]!);
    expect(ids(result).sort()).toEqual([...shown].sort());
    expect(result.items.every((i) => i.reason === "similar")).toBe(true);
  });

  it("trains the classes with new interactions, takes them off the queue, and drops neighbours that went stale", async () => {
    const klass = await makeClass({ students: 3 });
    const [p1, p2, p3] = [await post(klass), await post(klass), await post(klass)];
    for (const s of klass.students) for (const p of [p1, p2]) await open(s, "post", p);
    expect((await Recommendation.dueClasses()).map((d) => d.class_id)).toContain(klass.class_id);

    const progress: Array<[number, number]> = [];
    const run = await Recommendation.trainDue({ onProgress: (done, total) => progress.push([done, total]) });
    expect(run.trained.map((t) => t.class_id)).toContain(klass.class_id);
    expect(run.failed).toEqual([]);
    expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
    expect((await Recommendation.dueClasses()).map((d) => d.class_id)).not.toContain(klass.class_id);
    const neighbours = async () => (await db().entities.itemNeighbours.query.byClass({ class_id: klass.class_id }).go()).data.map((n) => n.item_id).sort();
    expect(await neighbours()).toEqual([p1, p2].sort());

    // A new interaction puts the class back on the queue.
    await open(klass.students[0]!, "post", p3);
    expect((await Recommendation.dueClasses()).map((d) => d.class_id)).toContain(klass.class_id);

    // p2's interactions are gone (as TTL would do): retraining leaves p1 and p2 without neighbours.
    const { data } = await db().entities.interaction.query.byClass({ class_id: klass.class_id }).go({ pages: "all" });
    await db().entities.interaction.delete(data.filter((x) => x.item_id === p2)).go();
    await Recommendation.trainClass(klass.class_id);
    expect(await neighbours()).toEqual([]);
  });
});

describe("never leaking", () => {
  it("serves only items the reader can see now, even when histories mix classes", async () => {
    const [a, b] = [await makeClass({ students: 3 }), await makeClass({ students: 3 })];
    const [pA1, pA2, pA3] = [await post(a, "A one"), await post(a, "A two"), await post(a, "A three")];
    const draftA = await assignment(a, "draft", "A draft");
    const publishedA = await assignment(a, "published", "A published");
    const goneA = await post(a, "A gone");
    const draftFileA = await material(a, { type: "assignment", id: draftA }, "draft-notes.pdf");
    const fileA = await material(a, { type: "assignment", id: publishedA }, "notes.pdf");
    const [pB1, pB2] = [await post(b, "B one"), await post(b, "B two")];
    await Post.remove({ post_id: goneA }, a.teacher);

    // Every history mentions both classes' items, so the model does learn cross-class neighbours.
    const historyA: Array<[ItemType, string]> = [
      ["post", pA1], ["post", pA2], ["post", pB1], ["post", pB2], ["assignment", draftA], ["post", goneA], ["file", draftFileA], ["file", fileA], ["assignment", publishedA],
    ];
    for (const s of a.students) await inject(a.class_id, s.userId, historyA);
    for (const s of b.students) await inject(b.class_id, s.userId, [["post", pB1], ["post", pB2], ["post", pA1], ["post", pA2]]);
    await Recommendation.trainClass(a.class_id);
    await Recommendation.trainClass(b.class_id);
    const { data: learned } = await db().entities.itemNeighbours.get({ class_id: a.class_id, item_type: "post", item_id: pA1 }).go();
    expect(learned!.neighbours.map((n) => n.item_id)).toEqual(expect.arrayContaining([pB1, pB2, draftA, goneA, draftFileA]));

    const hiddenFromStudents = [pB1, pB2, draftA, goneA, draftFileA];
    const newcomerA = await makeUser();
    await Membership.add({ class_id: a.class_id, email: newcomerA.email!, role: "student" }, a.teacher);
    await open(newcomerA, "post", pA1);
    await Recommendation.trainClass(a.class_id);

    const check = (result: Recommendation.Recommendations, hidden: string[]) => {
      expect(result.items.length).toBeGreaterThan(0);
      for (const id of hidden) expect(ids(result)).not.toContain(id);
    };
    for (const student of [...a.students, newcomerA]) {
      check(await Recommendation.similar({ item_type: "post", item_id: pA1, limit: 20 }, student), hiddenFromStudents);
      check(await Recommendation.similar({ item_type: "file", item_id: fileA, limit: 20 }, student), hiddenFromStudents);
      expect(await code(Recommendation.similar({ item_type: "post", item_id: pB1 }, student))).toBe("post.not_found");
      expect(await code(Recommendation.similar({ item_type: "assignment", item_id: draftA }, student))).toBe("assignment.not_found");
      expect(await code(Recommendation.similar({ item_type: "file", item_id: draftFileA }, student))).toBe("file.not_found");
      expect(await code(Recommendation.forClass({ class_id: b.class_id }, student))).toBe("class.not_found");
    }
    const forNewcomer = await Recommendation.forClass({ class_id: a.class_id, limit: 20 }, newcomerA);
    check(forNewcomer, [...hiddenFromStudents, pA1]);
    expect(ids(forNewcomer)).toEqual(expect.arrayContaining([pA2, publishedA, fileA]));
    // Popularity alone (no history) still passes through the filter.
    check(await Recommendation.forClass({ class_id: a.class_id, limit: 20 }, await joined(a)), hiddenFromStudents);
    // B's side: B's items only.
    for (const student of b.students) {
      check(await Recommendation.similar({ item_type: "post", item_id: pB1, limit: 20 }, student), [pA1, pA2, pA3, draftA, publishedA, goneA, fileA, draftFileA]);
      check(await Recommendation.forClass({ class_id: b.class_id, limit: 20 }, await joined(b)), [pA1, pA2, pA3, draftA, publishedA, goneA, fileA, draftFileA]);
    }
    // The teacher sees drafts, never another class's items or removed ones.
    const forTeacher = await Recommendation.similar({ item_type: "post", item_id: pA1, limit: 20 }, a.teacher);
    check(forTeacher, [pB1, pB2, goneA]);
    expect(ids(forTeacher)).toEqual(expect.arrayContaining([draftA, draftFileA]));

    // Current state, not the training's: published now, removed now.
    await Assignment.update({ assignment_id: draftA, state: "published" }, a.teacher);
    await Post.remove({ post_id: pA2 }, a.teacher);
    const now = await Recommendation.similar({ item_type: "post", item_id: pA1, limit: 20 }, a.students[0]!);
    expect(ids(now)).toEqual(expect.arrayContaining([draftA, draftFileA]));
    check(now, [pB1, pB2, goneA, pA2]);
  });
});

/** A new student of the class, with no history. */
async function joined(klass: TestClass): Promise<Actor> {
  const person = await makeUser();
  await Membership.add({ class_id: klass.class_id, email: person.email!, role: "student" }, klass.teacher);
  return person;
}
