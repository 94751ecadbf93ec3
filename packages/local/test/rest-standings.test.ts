/**
 * Standings over real HTTP with real tokens: grades returned through REST move the students'
 * averages; teachers read the ranking (paged) and the top performers; a student reads their
 * own average, and their rank once the class shows ranks; removals and deletes take effect.
 */
import { describe, expect, it } from "vitest";
import { call, client, makeClass, newUser, type TestUser } from "./support.ts";

describe("standings over REST", () => {
  it("ranks returned grades, pages the ranking, lists top performers and shows a student their own standing", { timeout: 120_000 }, async () => {
    const klass = await makeClass(4);
    const [alex, sam, kim, lee] = klass.students as [TestUser, TestUser, TestUser, TestUser];
    const teacher = klass.teacher.token;
    const assignment = await call("POST", `/classes/${klass.class_id}/assignments`, { token: teacher, body: { title: "Essay", max_points: 20 } });
    const assignment_id: string = assignment.body.assignment_id;
    const give = async (who: TestUser, grade: number) => {
      const submission_id = `${assignment_id}_${who.sub}`;
      expect((await call("PUT", `/submissions/${submission_id}/grade`, { token: teacher, body: { draft_grade: grade } })).status).toBe(200);
      expect((await call("POST", `/submissions/${submission_id}/return`, { token: teacher })).status).toBe(200);
    };
    await give(alex, 18); // 90 %
    await give(sam, 16); // 80 %: not a top performer
    await give(kim, 17); // 85 %
    // Lee has no graded work: no rank.

    const ranking = await call("GET", `/classes/${klass.class_id}/ranking?limit=2`, { token: teacher });
    expect(ranking.status).toBe(200);
    expect(ranking.body.students.map((s: { student_id: string; rank: number; score: number; count: number; top_performer: boolean }) => [s.student_id, s.rank, s.score, s.count, s.top_performer])).toEqual([
      [alex.sub, 1, 90, 1, true],
      [kim.sub, 2, 85, 1, true],
    ]);
    const rest = await call("GET", `/classes/${klass.class_id}/ranking?limit=2&cursor=${encodeURIComponent(ranking.body.cursor)}`, { token: teacher });
    expect(rest.body).toEqual({ students: [expect.objectContaining({ student_id: sam.sub, rank: 3, score: 80, top_performer: false })], cursor: null });
    const top = await call("GET", `/classes/${klass.class_id}/top-performers`, { token: teacher });
    expect(top.body.students.map((s: { student_id: string }) => s.student_id)).toEqual([alex.sub, kim.sub]);

    // A student: their own average, no rank until the class shows ranks.
    const own = await call("GET", `/classes/${klass.class_id}/standing`, { token: kim.token });
    expect(own.body).toMatchObject({ student_id: kim.sub, score: 85, count: 1, top_performer: true, rank: null, class_size: null });
    const settings = await call("PATCH", `/classes/${klass.class_id}`, { token: teacher, body: { show_rank_to_students: true } });
    expect(settings.body.show_rank_to_students).toBe(true);
    expect((await call("GET", `/classes/${klass.class_id}`, { token: kim.token })).body.show_rank_to_students).toBe(true);
    expect((await call("GET", `/classes/${klass.class_id}/standing`, { token: kim.token })).body).toMatchObject({ rank: 2, class_size: 3 });
    expect((await call("GET", `/classes/${klass.class_id}/standing`, { token: lee.token })).body).toMatchObject({ score: null, count: 0, rank: null });
    const byTeacher = await call("GET", `/classes/${klass.class_id}/standing?student_id=${sam.sub}`, { token: teacher });
    expect(byTeacher.body).toMatchObject({ student_id: sam.sub, score: 80, rank: 3, class_size: 3 });
    // The typed client reads the same.
    expect((await client(klass.teacher).standing.get.query({ class_id: klass.class_id, student_id: alex.sub })).rank).toBe(1);

    // Refusals: students never see others' standings or the ranking; outsiders learn nothing.
    const refused = await call("GET", `/classes/${klass.class_id}/standing?student_id=${alex.sub}`, { token: kim.token });
    expect([refused.status, refused.body.error.code]).toEqual([403, "class.teacher_only"]);
    for (const path of ["ranking", "top-performers"]) {
      const reply = await call("GET", `/classes/${klass.class_id}/${path}`, { token: kim.token });
      expect([reply.status, reply.body.error.code]).toEqual([403, "class.teacher_only"]);
    }
    const outsider = await newUser();
    const hidden = await call("GET", `/classes/${klass.class_id}/standing`, { token: outsider.token });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, "class.not_found"]);
    expect((await call("GET", `/classes/${klass.class_id}/ranking?limit=0`, { token: teacher })).status).toBe(400);
    expect((await call("GET", `/classes/${klass.class_id}/ranking?cursor=forged`, { token: teacher })).body.error.code).toBe("cursor.invalid");

    // A removed student leaves the ranking; a deleted assignment leaves every standing.
    expect((await call("DELETE", `/classes/${klass.class_id}/members/${alex.sub}`, { token: teacher })).status).toBe(200);
    const after = await call("GET", `/classes/${klass.class_id}/ranking`, { token: teacher });
    expect(after.body.students.map((s: { student_id: string; rank: number }) => [s.student_id, s.rank])).toEqual([
      [kim.sub, 1],
      [sam.sub, 2],
    ]);
    expect((await call("DELETE", `/assignments/${assignment_id}`, { token: teacher })).status).toBe(200);
    expect((await call("GET", `/classes/${klass.class_id}/ranking`, { token: teacher })).body).toEqual({ students: [], cursor: null });
    expect((await call("GET", `/classes/${klass.class_id}/standing`, { token: kim.token })).body).toMatchObject({ score: null, count: 0, rank: null });
  });
});
