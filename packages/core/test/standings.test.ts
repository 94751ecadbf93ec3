import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Class from "../src/class/index.ts";
import * as Membership from "../src/membership/index.ts";
import * as Standing from "../src/standing/index.ts";
import * as Submission from "../src/submission/index.ts";
import { db } from "../src/table.ts";
import { code, makeAssignment, makeClass, makeUser, type TestClass } from "./factory.ts";
import { expectStandingsExact } from "./standings-check.ts";

/** Grades and returns a student's work on an assignment in one go. */
async function graded(klass: TestClass, assignment_id: string, student: Actor, grade: number) {
  const submission_id = Submission.submissionId(assignment_id, student.userId);
  await Submission.grade({ submission_id, draft_grade: grade }, klass.teacher);
  return Submission.giveBack({ submission_id }, klass.teacher);
}

const standingOf = (klass: TestClass, who: Actor, student_id?: string) =>
  Standing.get({ class_id: klass.class_id, ...(student_id ? { student_id } : {}) }, who);

describe("standings", () => {
  it("averages returned, graded work; ranks by score then name; top performers above 80 only", async () => {
    const klass = await makeClass({ students: 0 });
    const [ana, ben, cy, dee] = await Promise.all(["Ana", "ben", "Cy", "Dee"].map((name) => makeUser({ name })));
    const students = [ana!, ben!, cy!, dee!];
    await Promise.all(students.map((s) => Membership.add({ class_id: klass.class_id, email: s.email!, role: "student" }, klass.teacher)));
    klass.students = students;
    const lab = await makeAssignment(klass, { max_points: 50 });
    const quiz = await makeAssignment(klass, { max_points: 30 });

    await graded(klass, lab.assignment_id, ana!, 45); // 90 %
    await graded(klass, quiz.assignment_id, ana!, 21); // 70 % → ana 80.00: not above 80
    await graded(klass, lab.assignment_id, ben!, 40.5); // 81 %
    await graded(klass, lab.assignment_id, cy!, 40.5); // 81 %, tie with ben: by name
    // Graded but not returned: does not count. Dee has no standing, so no rank.
    await Submission.grade({ submission_id: Submission.submissionId(lab.assignment_id, dee!.userId), draft_grade: 50 }, klass.teacher);

    const ranking = await Standing.ranking({ class_id: klass.class_id }, klass.teacher);
    expect(ranking.students.map((s) => [s.rank, s.student_name, s.score, s.count, s.top_performer])).toEqual([
      [1, "ben", 81, 1, true],
      [1, "Cy", 81, 1, true],
      [3, "Ana", 80, 2, false],
    ]);
    const top = await Standing.topPerformers({ class_id: klass.class_id }, klass.teacher);
    expect(top.students.map((s) => s.student_name)).toEqual(["ben", "Cy"]);

    expect(await standingOf(klass, klass.teacher, ana!.userId)).toMatchObject({ score: 80, count: 2, rank: 3, class_size: 3, top_performer: false });
    expect(await standingOf(klass, klass.teacher, dee!.userId)).toMatchObject({ score: null, count: 0, rank: null, class_size: null });
    await expectStandingsExact(klass.class_id);

    // A regrade moves Ana into the top performers; a lower one moves Ben out.
    await Submission.grade({ submission_id: Submission.submissionId(quiz.assignment_id, ana!.userId), assigned_grade: 30 }, klass.teacher);
    await Submission.grade({ submission_id: Submission.submissionId(lab.assignment_id, ben!.userId), assigned_grade: 40 }, klass.teacher);
    expect((await Standing.topPerformers({ class_id: klass.class_id }, klass.teacher)).students.map((s) => [s.student_name, s.score])).toEqual([
      ["Ana", 95],
      ["Cy", 81],
    ]);
    // Turning returned work in again takes it out until it is returned again.
    await Submission.turnIn({ assignment_id: lab.assignment_id }, ben!);
    expect(await standingOf(klass, ben!)).toMatchObject({ score: null, count: 0 });
    await expectStandingsExact(klass.class_id);
  });

  it("pages the ranking with a cursor, keeping shared ranks across pages", async () => {
    const klass = await makeClass({ students: 5 });
    const work = await makeAssignment(klass, { max_points: 10 });
    const grades = [9, 7, 7, 7, 5];
    await Promise.all(klass.students.map((s, i) => graded(klass, work.assignment_id, s, grades[i]!)));
    const first = await Standing.ranking({ class_id: klass.class_id, limit: 2 }, klass.teacher);
    const second = await Standing.ranking({ class_id: klass.class_id, limit: 2, cursor: first.cursor! }, klass.teacher);
    const third = await Standing.ranking({ class_id: klass.class_id, limit: 2, cursor: second.cursor! }, klass.teacher);
    expect([...first.students, ...second.students, ...third.students].map((s) => [s.rank, s.score])).toEqual([
      [1, 90],
      [2, 70],
      [2, 70],
      [2, 70],
      [5, 50],
    ]);
    expect(third.cursor).toBeNull();
    expect(await code(Standing.ranking({ class_id: klass.class_id, cursor: `${first.cursor!}x` }, klass.teacher))).toBe("cursor.invalid");
    const other = await makeClass({ students: 0 });
    expect(await code(Standing.ranking({ class_id: other.class_id, cursor: first.cursor! }, other.teacher))).toBe("cursor.invalid");
    expect(await code(Standing.topPerformers({ class_id: klass.class_id, cursor: first.cursor! }, klass.teacher))).toBe("cursor.invalid");
  });

  it("lets students see their own average, and their rank only when the class shows it", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const work = await makeAssignment(klass, { max_points: 20 });
    await graded(klass, work.assignment_id, alex, 17);
    await graded(klass, work.assignment_id, sam, 19);
    expect(await standingOf(klass, alex)).toEqual({
      class_id: klass.class_id,
      student_id: alex.userId,
      student_name: alex.name,
      score: 85,
      count: 1,
      top_performer: true,
      rank: null,
      class_size: null,
    });
    expect((await Class.get({ class_id: klass.class_id }, alex)).show_rank_to_students).toBe(false);
    expect((await Class.update({ class_id: klass.class_id, show_rank_to_students: true }, klass.teacher)).show_rank_to_students).toBe(true);
    expect(await standingOf(klass, alex)).toMatchObject({ score: 85, rank: 2, class_size: 2 });
    expect(await standingOf(klass, alex, alex.userId)).toMatchObject({ rank: 2 });

    expect(await code(standingOf(klass, alex, sam.userId))).toBe("class.teacher_only");
    expect(await code(Standing.ranking({ class_id: klass.class_id }, alex))).toBe("class.teacher_only");
    expect(await code(Standing.topPerformers({ class_id: klass.class_id }, alex))).toBe("class.teacher_only");
    expect(await code(standingOf(klass, klass.teacher))).toBe("standing.student_required");
    expect(await code(standingOf(klass, klass.teacher, klass.teacher.userId))).toBe("standing.not_found");
    const outsider = await makeUser();
    for (const call of [
      () => standingOf(klass, outsider),
      () => Standing.ranking({ class_id: klass.class_id }, outsider),
      () => Standing.topPerformers({ class_id: klass.class_id }, outsider),
    ]) {
      expect(await code(call())).toBe("class.not_found");
    }
  });

  it("takes a removed student out of both indexes and puts them back when they return", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [Actor, Actor];
    const work = await makeAssignment(klass, { max_points: 10 });
    await graded(klass, work.assignment_id, alex, 9);
    await graded(klass, work.assignment_id, sam, 6);
    await Membership.remove({ class_id: klass.class_id, user_id: alex.userId }, klass.teacher);
    expect((await Standing.ranking({ class_id: klass.class_id }, klass.teacher)).students.map((s) => s.student_id)).toEqual([sam.userId]);
    expect((await Standing.topPerformers({ class_id: klass.class_id }, klass.teacher)).students).toEqual([]);
    expect(await code(standingOf(klass, klass.teacher, alex.userId))).toBe("standing.not_found");
    await expectStandingsExact(klass.class_id, "removed");

    // Deleting the assignment while Alex is away still settles Alex's standing.
    const more = await makeAssignment(klass, { max_points: 10 });
    await graded(klass, more.assignment_id, sam, 10);
    const code_ = (await Class.get({ class_id: klass.class_id }, klass.teacher)).enrollment_code!;
    await Class.join({ enrollment_code: code_ }, { ...alex, name: "Alex Again" });
    expect((await Standing.ranking({ class_id: klass.class_id }, klass.teacher)).students.map((s) => [s.student_name, s.score])).toEqual([
      ["Alex Again", 90],
      [sam.name, 80],
    ]);
    await expectStandingsExact(klass.class_id, "back");

    // Made a teacher: out of the ranking; a student again: back in.
    await Membership.setRole({ class_id: klass.class_id, user_id: alex.userId, role: "teacher" }, klass.teacher);
    expect((await Standing.ranking({ class_id: klass.class_id }, klass.teacher)).students).toHaveLength(1);
    await expectStandingsExact(klass.class_id, "teacher");
    await Membership.setRole({ class_id: klass.class_id, user_id: alex.userId, role: "student" }, klass.teacher);
    expect((await Standing.ranking({ class_id: klass.class_id }, klass.teacher)).students).toHaveLength(2);
    await expectStandingsExact(klass.class_id, "student again");
  });

  it("settles standings when an assignment is deleted, re-pointed or published, exactly once", async () => {
    const klass = await makeClass({ students: 3 });
    const [a, b, c] = klass.students as [Actor, Actor, Actor];
    const lab = await makeAssignment(klass, { max_points: 20 });
    const quiz = await makeAssignment(klass, { max_points: 10 });
    const draft = await makeAssignment(klass, { max_points: 10, state: "draft" });
    for (const [s, g] of [[a, 20], [b, 10], [c, 15]] as const) await graded(klass, lab.assignment_id, s, g);
    for (const [s, g] of [[a, 5], [b, 10]] as const) await graded(klass, quiz.assignment_id, s, g);
    await graded(klass, draft.assignment_id, c, 2);
    await expectStandingsExact(klass.class_id, "graded");
    expect((await standingOf(klass, klass.teacher, c.userId)).score).toBe(75);

    await Assignment.update({ assignment_id: draft.assignment_id, state: "published" }, klass.teacher);
    expect((await standingOf(klass, klass.teacher, c.userId))).toMatchObject({ score: 47.5, count: 2 });
    await Assignment.update({ assignment_id: lab.assignment_id, max_points: 40 }, klass.teacher);
    expect((await standingOf(klass, klass.teacher, a.userId)).score).toBe(50);
    await expectStandingsExact(klass.class_id, "re-pointed");

    await Assignment.remove({ assignment_id: quiz.assignment_id }, klass.teacher);
    await expectStandingsExact(klass.class_id, "deleted");
    expect(await Standing.settleAssignment(quiz.assignment_id)).toBe(0);
    await Assignment.remove({ assignment_id: lab.assignment_id }, klass.teacher);
    const left = await expectStandingsExact(klass.class_id, "all but one deleted");
    expect(left.map((s) => s.student_id)).toEqual([c.userId]);
  });

  it("finishes a delete whose request died before settling, from the table's stream", async () => {
    const klass = await makeClass({ students: 2 });
    const work = await makeAssignment(klass, { max_points: 10 });
    await Promise.all(klass.students.map((s, i) => graded(klass, work.assignment_id, s, 5 + i)));
    // The delete's own transaction, as if the request died right after it.
    const { data: before } = await db().entities.assignment.get({ assignment_id: work.assignment_id }).go({ consistent: true });
    await db().entities.assignment.patch({ assignment_id: work.assignment_id }).set({ deleted_at: new Date().toISOString(), deleted_by: klass.teacher.userId }).go();
    const { data: after } = await db().entities.assignment.get({ assignment_id: work.assignment_id }).go({ consistent: true });
    // Meanwhile a reader still sees the deleted work counted.
    expect((await standingOf(klass, klass.teacher, klass.students[0]!.userId)).count).toBe(1);
    const change = { event_id: "e1", action: "modify" as const, at: new Date().toISOString(), before: { ...before!, __edb_e__: "assignment" }, after: { ...after!, __edb_e__: "assignment" } };
    // Delivered twice, and once concurrently with itself: each standing moves once.
    await Promise.all([Standing.consume(change), Standing.consume(change)]);
    await Standing.consume(change);
    expect(await Standing.ranking({ class_id: klass.class_id }, klass.teacher)).toEqual({ students: [], cursor: null });
    await expectStandingsExact(klass.class_id, "settled from the stream");
  });

  it("applies 20 concurrent returns of different assignments of one student", { timeout: 60_000 }, async () => {
    const klass = await makeClass({ students: 1 });
    const [alex] = klass.students as [Actor];
    const works = await Promise.all(Array.from({ length: 20 }, (_, i) => makeAssignment(klass, { title: `Work ${i}`, max_points: 10 + i })));
    await Promise.all(works.map((w, i) => Submission.grade({ submission_id: Submission.submissionId(w.assignment_id, alex.userId), draft_grade: (i * 7) % (10 + i) }, klass.teacher)));
    const teachers = await Promise.all(Array.from({ length: 19 }, () => makeUser()));
    await Promise.all(teachers.map((t) => Membership.add({ class_id: klass.class_id, email: t.email!, role: "teacher" }, klass.teacher)));
    const returners = [klass.teacher, ...teachers];
    const results = await Promise.all(works.map((w, i) => code(Submission.giveBack({ submission_id: Submission.submissionId(w.assignment_id, alex.userId) }, returners[i]!))));
    expect(results).toEqual(works.map(() => "resolved"));
    const [standing] = await expectStandingsExact(klass.class_id, "20 concurrent returns");
    expect(standing!.count).toBe(20);
  });
});
