/**
 * Files attached to assignments (materials), submissions (a student's work) and posts, through
 * a real (local) S3: what each reader sees and may download, lists that replace the files
 * before them, and requests with a bad file that must leave everything as it was.
 */
import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Class from "../src/class/index.ts";
import * as File from "../src/file/index.ts";
import * as Storage from "../src/file/storage.ts";
import { MAX_ATTACHMENTS } from "../src/limits.ts";
import * as Membership from "../src/membership/index.ts";
import * as Post from "../src/post/index.ts";
import * as Submission from "../src/submission/index.ts";
import { db } from "../src/table.ts";
import { code, makeClass, makeUser, type TestClass } from "./factory.ts";

const PDF = "application/pdf" as const;
/** For tests that upload many files (each a form POST to S3 and a check of the object). */
const SLOW = 90_000;

/** Uploads (a multipart form POST of the presigned fields and the bytes, as a browser does) and completes a file. */
async function uploaded(klass: TestClass, who: Actor, purpose: File.FilePurpose, filename = "handout.pdf", bytes = Buffer.from(`%PDF-1.4\n${filename}\n%%EOF\n`)) {
  const ticket = await File.create({ class_id: klass.class_id, purpose, filename, content_type: PDF, size: bytes.length }, who);
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: PDF }), filename);
  const response = await fetch(ticket.upload.url, { method: "POST", body: form });
  await response.arrayBuffer();
  expect(response.status).toBe(204);
  return File.complete({ file_id: ticket.file_id }, who);
}

const shown = (file: { file_id: string; filename: string; content_type: string; size: number }) => ({
  file_id: file.file_id,
  filename: file.filename,
  content_type: file.content_type,
  size: file.size,
});

/** Whether `who` can download the file now. */
const downloads = (file_id: string, who: Actor) => code(File.download({ file_id }, who));

/** The file items attached (and not removed) to a parent, read from the table. */
async function attachedTo(parent: File.Parent, ids: string[]): Promise<string[]> {
  const { data } = await db().entities.file.get(ids.map((file_id) => ({ file_id }))).go({ consistent: true });
  return data
    .filter((f) => f.parent_type === parent.type && f.parent_id === parent.id && !f.removed_at)
    .map((f) => f.file_id)
    .sort();
}

async function links(parent: File.Parent): Promise<string[]> {
  const { data } = await db().entities.fileLink.query.byParent({ parent_type: parent.type, parent_id: parent.id }).go({ pages: "all" });
  return data.map((l) => l.file_id).sort();
}

describe("an assignment's materials", () => {
  it("are created with it, shown to students once published, and replaced by a new list", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const [m1, m2, m3] = [await uploaded(klass, klass.teacher, "material", "one.pdf"), await uploaded(klass, klass.teacher, "material", "two.pdf"), await uploaded(klass, klass.teacher, "material", "three.pdf")];
    const draft = await Assignment.create({ class_id: klass.class_id, title: "Lab 1", state: "draft", file_ids: [m1.file_id, m2.file_id] }, klass.teacher);
    expect(draft.attachments).toEqual([shown(m1), shown(m2)]);
    expect((await Assignment.get({ assignment_id: draft.assignment_id }, klass.teacher)).attachments).toEqual([shown(m1), shown(m2)]);
    const parent = { type: "assignment" as const, id: draft.assignment_id };
    expect(await attachedTo(parent, [m1.file_id, m2.file_id, m3.file_id])).toEqual([m1.file_id, m2.file_id].sort());
    expect(await links(parent)).toEqual([m1.file_id, m2.file_id].sort());
    // A draft's materials are the teachers' until it is published.
    expect(await downloads(m1.file_id, alex)).toBe("file.not_found");
    expect(await downloads(m1.file_id, klass.teacher)).toBe("resolved");

    const published = await Assignment.update({ assignment_id: draft.assignment_id, state: "published" }, klass.teacher);
    expect(published.attachments).toEqual([shown(m1), shown(m2)]);
    expect(await downloads(m1.file_id, alex)).toBe("resolved");
    const listed = await Assignment.list({ class_id: klass.class_id }, alex);
    expect(listed.assignments.map((a) => a.attachments)).toEqual([[shown(m1), shown(m2)]]);

    // A new list replaces the old one: m1 is dropped (and stops downloading at once), m3 added, in the order given.
    const replaced = await Assignment.update({ assignment_id: draft.assignment_id, file_ids: [m3.file_id, m2.file_id] }, klass.teacher);
    expect(replaced.attachments).toEqual([shown(m3), shown(m2)]);
    expect((await Assignment.get({ assignment_id: draft.assignment_id }, alex)).attachments).toEqual([shown(m3), shown(m2)]);
    expect(await downloads(m1.file_id, klass.teacher)).toBe("file.not_found");
    expect(await downloads(m3.file_id, alex)).toBe("resolved");
    expect(await attachedTo(parent, [m1.file_id, m2.file_id, m3.file_id])).toEqual([m2.file_id, m3.file_id].sort());
    expect(await links(parent)).toEqual([m2.file_id, m3.file_id].sort());
    // The dropped file cannot be attached again, here or elsewhere.
    expect(await code(Assignment.update({ assignment_id: draft.assignment_id, file_ids: [m1.file_id] }, klass.teacher))).toBe("file.not_found");

    // The table's stream deletes the dropped file's object.
    const { data: dropped } = await db().entities.file.get({ file_id: m1.file_id }).go({ consistent: true });
    expect(await Storage.head(Storage.storedKey(m1.file_id))).toBeDefined();
    await File.consume({ event_id: `drop-${m1.file_id}`, action: "modify", at: dropped!.removed_at!, before: { __edb_e__: "file", file_id: m1.file_id }, after: { __edb_e__: "file", ...dropped } });
    expect(await Storage.head(Storage.storedKey(m1.file_id))).toBeUndefined();

    // Other changes keep the materials; an empty list drops them all.
    expect((await Assignment.update({ assignment_id: draft.assignment_id, title: "Lab 1 (v2)" }, klass.teacher)).attachments).toEqual([shown(m3), shown(m2)]);
    expect((await Assignment.update({ assignment_id: draft.assignment_id, file_ids: [] }, klass.teacher)).attachments).toEqual([]);
    expect((await Assignment.get({ assignment_id: draft.assignment_id }, alex)).attachments).toEqual([]);
    expect(await downloads(m2.file_id, klass.teacher)).toBe("file.not_found");
    expect(await links(parent)).toEqual([]);
  }, SLOW);

  it("lets a co-teacher keep the other teacher's files in the list, but not add them", async () => {
    const klass = await makeClass({ students: 0 });
    const coTeacher = await makeUser();
    await Membership.add({ class_id: klass.class_id, email: coTeacher.email!, role: "teacher" }, klass.teacher);
    const mine = await uploaded(klass, klass.teacher, "material", "mine.pdf");
    const spare = await uploaded(klass, klass.teacher, "material", "spare.pdf");
    const theirs = await uploaded(klass, coTeacher, "material", "theirs.pdf");
    const assignment = await Assignment.create({ class_id: klass.class_id, title: "Shared", file_ids: [mine.file_id] }, klass.teacher);
    const both = await Assignment.update({ assignment_id: assignment.assignment_id, file_ids: [mine.file_id, theirs.file_id] }, coTeacher);
    expect(both.attachments).toEqual([shown(mine), shown(theirs)]);
    expect(await code(Assignment.update({ assignment_id: assignment.assignment_id, file_ids: [mine.file_id, spare.file_id] }, coTeacher))).toBe("file.not_found");
    expect((await Assignment.get({ assignment_id: assignment.assignment_id }, klass.teacher)).attachments).toEqual([shown(mine), shown(theirs)]);
  });

  it(`replaces ${MAX_ATTACHMENTS} files by ${MAX_ATTACHMENTS} others in one change`, async () => {
    const klass = await makeClass({ students: 0 });
    const upload = (prefix: string) => Promise.all(Array.from({ length: MAX_ATTACHMENTS }, (_, i) => uploaded(klass, klass.teacher, "material", `${prefix}-${i}.pdf`)));
    const [before, after] = [await upload("old"), await upload("new")];
    const assignment = await Assignment.create({ class_id: klass.class_id, title: "Big", file_ids: before.map((f) => f.file_id) }, klass.teacher);
    const updated = await Assignment.update({ assignment_id: assignment.assignment_id, file_ids: after.map((f) => f.file_id) }, klass.teacher);
    expect(updated.attachments).toEqual(after.map(shown));
    const parent = { type: "assignment" as const, id: assignment.assignment_id };
    expect(await attachedTo(parent, [...before, ...after].map((f) => f.file_id))).toEqual(after.map((f) => f.file_id).sort());
    expect(await links(parent)).toEqual(after.map((f) => f.file_id).sort());
  }, SLOW);

  it("never leaves a file attached but unlisted when two teachers change the list at once", async () => {
    const klass = await makeClass({ students: 0 });
    const coTeacher = await makeUser();
    await Membership.add({ class_id: klass.class_id, email: coTeacher.email!, role: "teacher" }, klass.teacher);
    const assignment = await Assignment.create({ class_id: klass.class_id, title: "Contended" }, klass.teacher);
    const parent = { type: "assignment" as const, id: assignment.assignment_id };
    const all: string[] = [];
    for (let round = 0; round < 4; round++) {
      const [a, b] = await Promise.all([uploaded(klass, klass.teacher, "material", `a${round}.pdf`), uploaded(klass, coTeacher, "material", `b${round}.pdf`)]);
      all.push(a.file_id, b.file_id);
      const current = (await Assignment.get({ assignment_id: assignment.assignment_id }, klass.teacher)).attachments.map((x) => x.file_id);
      // Each adds its own file to the list it read.
      await Promise.all([
        Assignment.update({ assignment_id: assignment.assignment_id, file_ids: [...current, a.file_id].slice(-MAX_ATTACHMENTS) }, klass.teacher),
        Assignment.update({ assignment_id: assignment.assignment_id, file_ids: [...current, b.file_id].slice(-MAX_ATTACHMENTS) }, coTeacher),
      ]);
      const listed = (await Assignment.get({ assignment_id: assignment.assignment_id }, klass.teacher)).attachments.map((x) => x.file_id).sort();
      expect(await attachedTo(parent, all)).toEqual(listed);
      expect(await links(parent)).toEqual(listed);
    }
  }, SLOW);
});

describe("a submission's files", () => {
  it("are the student's, seen by them and the teachers, and replaced when turned in again", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const assignment = await Assignment.create({ class_id: klass.class_id, title: "Essay" }, klass.teacher);
    const draft1 = await uploaded(klass, alex, "submission", "essay-v1.pdf");
    const draft2 = await uploaded(klass, alex, "submission", "essay-v2.pdf");
    const turnedIn = await Submission.turnIn({ assignment_id: assignment.assignment_id, text: "Here it is", file_ids: [draft1.file_id] }, alex);
    expect(turnedIn.attachments).toEqual([shown(draft1)]);
    const teachersView = await Submission.list({ assignment_id: assignment.assignment_id }, klass.teacher);
    expect(teachersView.submissions.find((s) => s.student_id === alex.userId)!.attachments).toEqual([shown(draft1)]);
    expect(teachersView.submissions.find((s) => s.student_id === sam.userId)!.attachments).toEqual([]);
    expect((await Submission.list({ assignment_id: assignment.assignment_id }, sam)).submissions[0]!.attachments).toEqual([]);
    expect(await downloads(draft1.file_id, klass.teacher)).toBe("resolved");
    expect(await downloads(draft1.file_id, alex)).toBe("resolved");
    expect(await downloads(draft1.file_id, sam)).toBe("file.not_found");

    // Unsubmit keeps the files; turning in again without file_ids keeps them too.
    expect((await Submission.reclaim({ assignment_id: assignment.assignment_id }, alex)).attachments).toEqual([shown(draft1)]);
    expect((await Submission.turnIn({ assignment_id: assignment.assignment_id }, alex)).attachments).toEqual([shown(draft1)]);
    await Submission.reclaim({ assignment_id: assignment.assignment_id }, alex);
    // A new list replaces them: the dropped file stops downloading.
    expect((await Submission.turnIn({ assignment_id: assignment.assignment_id, file_ids: [draft2.file_id] }, alex)).attachments).toEqual([shown(draft2)]);
    expect(await downloads(draft1.file_id, klass.teacher)).toBe("file.not_found");
    expect(await downloads(draft2.file_id, klass.teacher)).toBe("resolved");
    const { submission_id } = turnedIn;
    expect((await Submission.giveBack({ submission_id }, klass.teacher)).attachments).toEqual([shown(draft2)]);
    // Someone else's upload cannot be turned in.
    const samsFile = await uploaded(klass, sam, "submission", "sams.pdf");
    expect(await code(Submission.turnIn({ assignment_id: assignment.assignment_id, file_ids: [samsFile.file_id] }, alex))).toBe("file.not_found");
  });
});

describe("bad files", () => {
  it("refuse the whole request and store nothing", async () => {
    const klass = await makeClass({ students: 1 });
    const other = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const pending = await File.create({ class_id: klass.class_id, purpose: "material", filename: "later.pdf", content_type: PDF, size: 10 }, klass.teacher);
    const foreign = await uploaded(other, other.teacher, "material", "foreign.pdf");
    const wrongPurpose = await uploaded(klass, klass.teacher, "post", "for-a-post.pdf");
    const taken = await uploaded(klass, klass.teacher, "material", "taken.pdf");
    const kept = await uploaded(klass, klass.teacher, "material", "kept.pdf");
    const elsewhere = await Assignment.create({ class_id: klass.class_id, title: "Elsewhere", file_ids: [taken.file_id] }, klass.teacher);
    const holder = await Assignment.create({ class_id: klass.class_id, title: "Holder", file_ids: [kept.file_id] }, klass.teacher);
    const good = await uploaded(klass, klass.teacher, "material", "good.pdf");
    const cases: Array<[string[], string]> = [
      [[good.file_id, foreign.file_id], "file.not_found"],
      [[good.file_id, "01UNKNOWNFILE000000000000"], "file.not_found"],
      [["not an id"], "file.not_found"],
      [[wrongPurpose.file_id], "file.not_found"],
      [[good.file_id, pending.file_id], "file.not_ready"],
      [[good.file_id, taken.file_id], "file.already_attached"],
      [Array.from({ length: MAX_ATTACHMENTS + 1 }, () => good.file_id), "input.invalid"],
    ];
    for (const [file_ids, expected] of cases) {
      expect(await code(Assignment.create({ class_id: klass.class_id, title: "Never", file_ids }, klass.teacher)), JSON.stringify(file_ids)).toBe(expected);
      expect(await code(Assignment.update({ assignment_id: holder.assignment_id, title: "Changed", file_ids }, klass.teacher)), JSON.stringify(file_ids)).toBe(expected);
    }
    const { assignments } = await Assignment.list({ class_id: klass.class_id }, klass.teacher);
    expect(assignments.map((a) => [a.title, a.attachments]).sort()).toEqual([["Elsewhere", [shown(taken)]], ["Holder", [shown(kept)]]]);
    expect(await attachedTo({ type: "assignment", id: holder.assignment_id }, [good.file_id, taken.file_id, kept.file_id])).toEqual([kept.file_id]);
    expect(await attachedTo({ type: "assignment", id: elsewhere.assignment_id }, [good.file_id, taken.file_id, kept.file_id])).toEqual([taken.file_id]);
    // The good file was never attached: it still can be.
    expect((await Assignment.create({ class_id: klass.class_id, title: "Now", file_ids: [good.file_id] }, klass.teacher)).attachments).toEqual([shown(good)]);

    // A student cannot attach a teacher's material to their work, nor post it.
    expect(await code(Submission.turnIn({ assignment_id: holder.assignment_id, file_ids: [kept.file_id] }, alex))).toBe("file.not_found");
    expect((await Submission.list({ assignment_id: holder.assignment_id }, alex)).submissions[0]!.state).toBe("new");
    expect(await code(Post.create({ class_id: klass.class_id, content: "Look", file_ids: [good.file_id] }, alex))).toBe("file.not_found");
    expect((await Post.list({ class_id: klass.class_id }, alex)).posts).toEqual([]);
  });

  it("in an archived class nothing is attached", async () => {
    const klass = await makeClass({ students: 0 });
    const file = await uploaded(klass, klass.teacher, "post", "slides.pdf");
    await Class.update({ class_id: klass.class_id, state: "archived" }, klass.teacher);
    expect(await code(Post.create({ class_id: klass.class_id, content: "Slides", file_ids: [file.file_id] }, klass.teacher))).toBe("class.archived");
    const { data } = await db().entities.file.get({ file_id: file.file_id }).go({ consistent: true });
    expect(data?.parent_id).toBeUndefined();
  });
});

describe("a post's files", () => {
  it("show on the post and stop downloading when it is removed", async () => {
    const klass = await makeClass({ students: 1 });
    const alex = klass.students[0]!;
    const image = await uploaded(klass, klass.teacher, "post", "diagram.pdf");
    const post = await Post.create({ class_id: klass.class_id, content: "The diagram", file_ids: [image.file_id] }, klass.teacher);
    expect(post.attachments).toEqual([shown(image)]);
    expect((await Post.get({ post_id: post.post_id }, alex)).attachments).toEqual([shown(image)]);
    expect((await Post.list({ class_id: klass.class_id }, alex)).posts.map((p) => p.attachments)).toEqual([[shown(image)]]);
    expect((await Post.edit({ post_id: post.post_id, content: "The diagram, fixed" }, klass.teacher)).attachments).toEqual([shown(image)]);
    expect(await downloads(image.file_id, alex)).toBe("resolved");
    // The same file cannot go on a second post.
    expect(await code(Post.create({ class_id: klass.class_id, content: "Again", file_ids: [image.file_id] }, klass.teacher))).toBe("file.already_attached");
    await Post.remove({ post_id: post.post_id }, klass.teacher);
    expect(await downloads(image.file_id, alex)).toBe("file.not_found");
    expect(await downloads(image.file_id, klass.teacher)).toBe("file.not_found");
  });
});
