import { describe, expect, it } from "vitest";
import * as Assignment from "../src/assignment/index.ts";
import * as Class from "../src/class/index.ts";
import * as Membership from "../src/membership/index.ts";
import * as Submission from "../src/submission/index.ts";
import { code, makeAssignment, makeClass, makeUser } from "./factory.ts";

const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

describe("assignments", () => {
  it("lists by due date with undated last, in pages; students see published ones only", async () => {
    const klass = await makeClass({ students: 1 });
    const later = await makeAssignment(klass, { title: "Later", due_at: hours(48) });
    const undated = await makeAssignment(klass, { title: "Whenever" });
    const draft = await makeAssignment(klass, { title: "Draft", state: "draft", due_at: hours(1) });
    const sooner = await makeAssignment(klass, { title: "Sooner", due_at: hours(24).replace("Z", "+00:00") });
    expect(sooner.due_at).toMatch(/Z$/);
    expect(undated).toMatchObject({ max_points: 100, state: "published", due_at: null, description: null });

    const teacherView = await Assignment.list({ class_id: klass.class_id }, klass.teacher);
    expect(teacherView.assignments.map((a) => a.title)).toEqual(["Draft", "Sooner", "Later", "Whenever"]);
    const first = await Assignment.list({ class_id: klass.class_id, limit: 2 }, klass.students[0]!);
    expect(first.assignments.map((a) => a.title)).toEqual(["Sooner", "Later"]);
    const second = await Assignment.list({ class_id: klass.class_id, limit: 2, cursor: first.cursor! }, klass.students[0]!);
    expect(second).toEqual({ assignments: [expect.objectContaining({ title: "Whenever" })], cursor: null });
    expect(await code(Assignment.list({ class_id: klass.class_id, cursor: first.cursor! }, (await makeClass()).teacher))).toBe("class.not_found");

    expect(await code(Assignment.get({ assignment_id: draft.assignment_id }, klass.students[0]!))).toBe("assignment.not_found");
    expect(await code(Assignment.get({ assignment_id: later.assignment_id }, await makeUser()))).toBe("assignment.not_found");
    expect(await code(Assignment.create({ class_id: klass.class_id, title: "Mine" }, klass.students[0]!))).toBe("class.teacher_only");
  });

  it("validates points and times, and changes only what is given", async () => {
    const klass = await makeClass({ students: 0 });
    const t = klass.teacher;
    for (const bad of [{ max_points: 1001 }, { max_points: -1 }, { max_points: 2.5 }, { due_at: "2026-01-01" }, { due_at: "tomorrow" }, { title: " " }]) {
      expect(await code(Assignment.create({ class_id: klass.class_id, title: "x", ...bad }, t)), JSON.stringify(bad)).toBe("input.invalid");
    }
    const ungraded = await makeAssignment(klass, { max_points: null, description: "Read it" });
    expect(ungraded.max_points).toBeNull();
    const changed = await Assignment.update({ assignment_id: ungraded.assignment_id, due_at: hours(5), description: null }, t);
    expect(changed).toMatchObject({ title: "Lab report", max_points: null, description: null, due_at: expect.any(String) });
    expect((await Assignment.get({ assignment_id: ungraded.assignment_id }, t)).due_at).toBe(changed.due_at);
    expect(await code(Assignment.update({ assignment_id: ungraded.assignment_id, state: "draft" }, t))).toBe("assignment.published");
  });

  it("refuses to lower max_points below a grade given, and deletes with its submissions", async () => {
    const klass = await makeClass({ students: 2 });
    const work = await makeAssignment(klass, { max_points: 50 });
    const [alex] = klass.students as [typeof klass.teacher];
    await Submission.grade({ submission_id: Submission.submissionId(work.assignment_id, alex.userId), draft_grade: 40 }, klass.teacher);
    expect(await code(Assignment.update({ assignment_id: work.assignment_id, max_points: 39 }, klass.teacher))).toBe("assignment.grades_above_max");
    expect(await code(Assignment.update({ assignment_id: work.assignment_id, max_points: null }, klass.teacher))).toBe("assignment.grades_above_max");
    expect((await Assignment.update({ assignment_id: work.assignment_id, max_points: 40 }, klass.teacher)).max_points).toBe(40);

    expect(await Assignment.remove({ assignment_id: work.assignment_id }, klass.teacher)).toEqual({ deleted: true });
    expect(await code(Assignment.get({ assignment_id: work.assignment_id }, klass.teacher))).toBe("assignment.not_found");
    expect(await code(Submission.list({ assignment_id: work.assignment_id }, alex))).toBe("assignment.not_found");
    expect(await code(Submission.turnIn({ assignment_id: work.assignment_id }, alex))).toBe("assignment.not_found");
    expect(await code(Assignment.remove({ assignment_id: work.assignment_id }, klass.teacher))).toBe("assignment.not_found");
    expect((await Assignment.list({ class_id: klass.class_id }, klass.teacher)).assignments).toEqual([]);
  });
});

describe("submissions", () => {
  it("walks Google Classroom's states: turn in, reclaim, turn in, grade, return, turn in again", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [typeof klass.teacher, typeof klass.teacher];
    const work = await makeAssignment(klass, { due_at: hours(24) });
    const id = Submission.submissionId(work.assignment_id, alex.userId);

    const turned = await Submission.turnIn({ assignment_id: work.assignment_id, text: "  My report " }, alex);
    expect(turned).toMatchObject({ submission_id: id, state: "turned_in", late: false, missing: false, text: "My report", assigned_grade: null });
    expect(turned).not.toHaveProperty("draft_grade");
    expect(await code(Submission.turnIn({ assignment_id: work.assignment_id }, alex))).toBe("submission.already_turned_in");
    expect((await Submission.reclaim({ assignment_id: work.assignment_id }, alex)).state).toBe("reclaimed");
    expect(await code(Submission.reclaim({ assignment_id: work.assignment_id }, alex))).toBe("submission.not_turned_in");
    await Submission.turnIn({ assignment_id: work.assignment_id, text: "v2" }, alex);

    const graded = await Submission.grade({ submission_id: id, draft_grade: 87.5 }, klass.teacher);
    expect(graded).toMatchObject({ draft_grade: 87.5, assigned_grade: null, state: "turned_in", text: "v2" });
    const own = (await Submission.list({ assignment_id: work.assignment_id }, alex)).submissions;
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ student_id: alex.userId, assigned_grade: null });
    expect(own[0]).not.toHaveProperty("draft_grade");

    const returned = await Submission.giveBack({ submission_id: id }, klass.teacher);
    expect(returned).toMatchObject({ state: "returned", assigned_grade: 87.5, draft_grade: null });
    expect((await Submission.list({ assignment_id: work.assignment_id }, alex)).submissions[0]).toMatchObject({ state: "returned", assigned_grade: 87.5 });
    expect(await code(Submission.reclaim({ assignment_id: work.assignment_id }, alex))).toBe("submission.not_turned_in");
    expect((await Submission.turnIn({ assignment_id: work.assignment_id }, alex))).toMatchObject({ state: "turned_in", assigned_grade: 87.5, text: null });

    // The other student sees only their own (new) submission, never Alex's grade.
    const theirs = (await Submission.list({ assignment_id: work.assignment_id }, sam)).submissions;
    expect(theirs).toEqual([expect.objectContaining({ student_id: sam.userId, state: "new", assigned_grade: null })]);
    expect(await code(Submission.grade({ submission_id: id, assigned_grade: 100 }, sam))).toBe("class.teacher_only");
    expect(await code(Submission.giveBack({ submission_id: id }, sam))).toBe("class.teacher_only");

    // Teachers see a row per student, including one who never opened the work.
    const all = (await Submission.list({ assignment_id: work.assignment_id }, klass.teacher)).submissions;
    expect(all.map((s) => [s.student_id, s.state])).toEqual(
      [alex, sam].sort((a, b) => a.name.localeCompare(b.name)).map((s) => [s.userId, s.userId === alex.userId ? "turned_in" : "new"]),
    );
  });

  it("marks late and missing work, checks grades, and forgets removed students", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [typeof klass.teacher, typeof klass.teacher];
    const past = await makeAssignment(klass, { due_at: hours(-1), max_points: 10 });
    expect((await Submission.turnIn({ assignment_id: past.assignment_id }, alex)).late).toBe(true);
    const rows = (await Submission.list({ assignment_id: past.assignment_id }, klass.teacher)).submissions;
    expect(rows.find((r) => r.student_id === sam.userId)).toMatchObject({ state: "new", missing: true });

    const samId = Submission.submissionId(past.assignment_id, sam.userId);
    expect(await code(Submission.grade({ submission_id: samId, draft_grade: 10.5 }, klass.teacher))).toBe("submission.grade_out_of_range");
    expect(await code(Submission.grade({ submission_id: samId, draft_grade: 9.999 }, klass.teacher))).toBe("input.invalid");
    expect(await code(Submission.grade({ submission_id: samId }, klass.teacher))).toBe("input.invalid");
    expect((await Submission.grade({ submission_id: samId, assigned_grade: 0 }, klass.teacher)).assigned_grade).toBe(0);
    expect((await Submission.grade({ submission_id: samId, assigned_grade: null, draft_grade: 3.25 }, klass.teacher))).toMatchObject({ assigned_grade: null, draft_grade: 3.25 });

    const ungraded = await makeAssignment(klass, { max_points: null });
    expect(await code(Submission.grade({ submission_id: Submission.submissionId(ungraded.assignment_id, sam.userId), draft_grade: 1 }, klass.teacher))).toBe("assignment.ungraded");
    expect(await code(Submission.grade({ submission_id: Submission.submissionId(past.assignment_id, klass.teacher.userId), draft_grade: 1 }, klass.teacher))).toBe("submission.not_found");
    expect(await code(Submission.turnIn({ assignment_id: past.assignment_id }, klass.teacher))).toBe("submission.students_only");

    await Membership.remove({ class_id: klass.class_id, user_id: sam.userId }, klass.teacher);
    expect(await code(Submission.grade({ submission_id: samId, draft_grade: 1 }, klass.teacher))).toBe("submission.not_found");
    expect(await code(Submission.turnIn({ assignment_id: past.assignment_id }, sam))).toBe("assignment.not_found");
    expect((await Submission.list({ assignment_id: past.assignment_id }, klass.teacher)).submissions.map((s) => s.student_id)).toEqual([alex.userId]);
  });

  it("refuses every write in an archived class with class.archived", async () => {
    const klass = await makeClass({ students: 1 });
    const [alex] = klass.students as [typeof klass.teacher];
    const work = await makeAssignment(klass);
    await Submission.turnIn({ assignment_id: work.assignment_id }, alex);
    await Class.update({ class_id: klass.class_id, state: "archived" }, klass.teacher);
    const id = Submission.submissionId(work.assignment_id, alex.userId);
    const writes = [
      Submission.reclaim({ assignment_id: work.assignment_id }, alex),
      Submission.grade({ submission_id: id, draft_grade: 1 }, klass.teacher),
      Submission.giveBack({ submission_id: id }, klass.teacher),
      Assignment.update({ assignment_id: work.assignment_id, title: "New" }, klass.teacher),
      Assignment.remove({ assignment_id: work.assignment_id }, klass.teacher),
      Assignment.create({ class_id: klass.class_id, title: "New" }, klass.teacher),
    ];
    expect(await Promise.all(writes.map(code))).toEqual(writes.map(() => "class.archived"));
    // Reads still work.
    expect((await Submission.list({ assignment_id: work.assignment_id }, alex)).submissions[0]!.state).toBe("turned_in");
  });
});
