import { describe, expect, it } from "vitest";
import { call, newUser, stack, type TestUser } from "./support.ts";

async function newClass(teacher: TestUser, name = "Chemistry") {
  const created = await call("POST", "/classes", { token: teacher.token, body: { name, section: "Period 3", room: "Lab 2" } });
  expect(created.status).toBe(201);
  return created.body as { class_id: string; enrollment_code: string; name: string };
}

async function joined(who: TestUser, enrollment_code: string) {
  const reply = await call("POST", "/classes/join", { token: who.token, body: { enrollment_code } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

describe("coursework over REST: the seed's scenario", () => {
  it("class -> join by code -> assignment -> turn in -> grade and return -> lists -> edit and delete each", async () => {
    const teacher = await newUser("Ms Curie");
    const alex = await newUser("Alex Kim");
    const sam = await newUser("Sam Lee");

    // Teacher creates a class; two students join by its code.
    const klass = await newClass(teacher);
    expect(klass.enrollment_code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{7}$/);
    expect(await joined(alex, klass.enrollment_code)).toMatchObject({ class_id: klass.class_id, role: "student", name: "Chemistry" });
    expect(await joined(sam, klass.enrollment_code.toLowerCase())).toMatchObject({ role: "student" });
    expect(await joined(sam, klass.enrollment_code)).toMatchObject({ role: "student" });
    const asStudent = await call("GET", `/classes/${klass.class_id}`, { token: alex.token });
    expect(asStudent.body).not.toHaveProperty("enrollment_code");
    expect((await call("POST", "/classes/join", { token: teacher.token, body: { enrollment_code: klass.enrollment_code } })).body.error.code).toBe("class.already_teacher");

    // Teacher adds an assignment; a student turns in.
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const created = await call("POST", `/classes/${klass.class_id}/assignments`, {
      token: teacher.token,
      body: { title: "Titration lab", description: "Write it up", max_points: 50, due_at: due, state: "published" },
    });
    expect(created.status).toBe(201);
    const assignment_id: string = created.body.assignment_id;
    expect(created.body).toMatchObject({ title: "Titration lab", max_points: 50, due_at: due, state: "published" });
    const turned = await call("POST", `/assignments/${assignment_id}/turn-in`, { token: alex.token, body: { text: "My write-up" } });
    expect(turned.status).toBe(200);
    expect(turned.body).toMatchObject({ state: "turned_in", late: false, text: "My write-up" });
    const submission_id: string = turned.body.submission_id;

    // Teacher grades and returns.
    const roster = await call("GET", `/assignments/${assignment_id}/submissions`, { token: teacher.token });
    expect(roster.body.submissions.map((s: { student_name: string; state: string }) => [s.student_name, s.state])).toEqual([
      ["Alex Kim", "turned_in"],
      ["Sam Lee", "new"],
    ]);
    const graded = await call("PUT", `/submissions/${submission_id}/grade`, { token: teacher.token, body: { draft_grade: 45.5 } });
    expect(graded.body).toMatchObject({ draft_grade: 45.5, assigned_grade: null });
    const before = await call("GET", `/assignments/${assignment_id}/submissions`, { token: alex.token });
    expect(before.body.submissions[0]).toMatchObject({ assigned_grade: null });
    expect(before.body.submissions[0]).not.toHaveProperty("draft_grade");
    const returned = await call("POST", `/submissions/${submission_id}/return`, { token: teacher.token });
    expect(returned.body).toMatchObject({ state: "returned", assigned_grade: 45.5, draft_grade: null });

    // The student sees the grade; the other student does not.
    const mine = await call("GET", `/assignments/${assignment_id}/submissions`, { token: alex.token });
    expect(mine.body.submissions).toEqual([expect.objectContaining({ student_id: alex.sub, state: "returned", assigned_grade: 45.5 })]);
    const theirs = await call("GET", `/assignments/${assignment_id}/submissions`, { token: sam.token });
    expect(theirs.body.submissions).toEqual([expect.objectContaining({ student_id: sam.sub, state: "new", assigned_grade: null })]);
    expect(JSON.stringify(theirs.body)).not.toContain("45.5");
    expect((await call("PUT", `/submissions/${submission_id}/grade`, { token: sam.token, body: { assigned_grade: 0 } })).status).toBe(403);

    // List classes, assignments, students.
    const classes = await call("GET", "/classes", { token: alex.token });
    expect(classes.body.classes).toEqual([{ class_id: klass.class_id, name: "Chemistry", section: "Period 3", role: "student", state: "active" }]);
    const assignments = await call("GET", `/classes/${klass.class_id}/assignments`, { token: sam.token });
    expect(assignments.body).toEqual({ assignments: [expect.objectContaining({ assignment_id, title: "Titration lab" })], cursor: null });
    const members = await call("GET", `/classes/${klass.class_id}/members`, { token: sam.token });
    expect(members.body.members.map((m: { user_name: string; role: string }) => `${m.role}:${m.user_name}`)).toEqual([
      "teacher:Ms Curie",
      "student:Alex Kim",
      "student:Sam Lee",
    ]);

    // Edit and delete each.
    const renamed = await call("PATCH", `/classes/${klass.class_id}`, { token: teacher.token, body: { name: "Chemistry II", room: null } });
    expect(renamed.body).toMatchObject({ name: "Chemistry II", room: null, section: "Period 3" });
    expect((await call("GET", "/classes", { token: sam.token })).body.classes[0].name).toBe("Chemistry II");
    const edited = await call("PATCH", `/assignments/${assignment_id}`, { token: teacher.token, body: { title: "Titration lab (final)", due_at: null } });
    expect(edited.body).toMatchObject({ title: "Titration lab (final)", due_at: null, max_points: 50 });
    expect((await call("PATCH", `/assignments/${assignment_id}`, { token: teacher.token, body: { max_points: 40 } })).body.error.code).toBe("assignment.grades_above_max");
    expect((await call("DELETE", `/assignments/${assignment_id}`, { token: teacher.token })).body).toEqual({ deleted: true });
    expect((await call("GET", `/assignments/${assignment_id}`, { token: alex.token })).status).toBe(404);
    expect((await call("GET", `/classes/${klass.class_id}/assignments`, { token: teacher.token })).body.assignments).toEqual([]);
    expect((await call("DELETE", `/classes/${klass.class_id}`, { token: teacher.token })).body).toEqual({ deleted: true });
    for (const who of [teacher, alex, sam]) {
      expect((await call("GET", `/classes/${klass.class_id}`, { token: who.token })).status).toBe(404);
      expect((await call("GET", "/classes", { token: who.token })).body.classes).toEqual([]);
    }
    const rejoin = await call("POST", "/classes/join", { token: alex.token, body: { enrollment_code: klass.enrollment_code } });
    expect(rejoin.status).toBe(404);
    expect(rejoin.body.error.code).toBe("class.code_not_found");
  });
});

describe("coursework over REST: rules", () => {
  it("makes an archived class read-only (409 class.archived) until restored", async () => {
    const teacher = await newUser();
    const student = await newUser();
    const klass = await newClass(teacher);
    await joined(student, klass.enrollment_code);
    const work = await call("POST", `/classes/${klass.class_id}/assignments`, { token: teacher.token, body: { title: "Essay" } });
    const archived = await call("PATCH", `/classes/${klass.class_id}`, { token: teacher.token, body: { state: "archived" } });
    expect(archived.body.state).toBe("archived");
    for (const [method, path, token, body] of [
      ["POST", `/classes/${klass.class_id}/assignments`, teacher.token, { title: "More" }],
      ["PATCH", `/assignments/${work.body.assignment_id}`, teacher.token, { title: "New" }],
      ["POST", `/assignments/${work.body.assignment_id}/turn-in`, student.token, {}],
      ["POST", "/chat/messages", student.token, { class_id: klass.class_id, content: "hello?" }],
      ["PATCH", `/classes/${klass.class_id}`, teacher.token, { name: "Renamed" }],
    ] as const) {
      const reply = await call(method, path, { token, body });
      expect(reply.status, `${method} ${path}`).toBe(409);
      expect(reply.body.error.code).toBe("class.archived");
    }
    expect((await call("GET", `/classes/${klass.class_id}/assignments`, { token: student.token })).status).toBe(200);
    expect((await call("POST", "/classes/join", { token: (await newUser()).token, body: { enrollment_code: klass.enrollment_code } })).status).toBe(404);
    expect((await call("PATCH", `/classes/${klass.class_id}`, { token: teacher.token, body: { state: "active" } })).body.state).toBe("active");
    expect((await call("POST", `/assignments/${work.body.assignment_id}/turn-in`, { token: student.token, body: {} })).status).toBe(200);
  });

  it("limits failed joins per person with 429 and Retry-After, answering unknown codes alike", async () => {
    const guesser = await newUser();
    const codes = ["ZZZZZZZ", "YYYYYYY", "XXXXXXX", "WWWWWWW", "VVVVVVV", "UUUUUUU", "TTTTTTT", "SSSSSSS", "RRRRRRR", "QQQQQQQ"];
    const replies = [];
    for (const enrollment_code of codes) replies.push(await call("POST", "/classes/join", { token: guesser.token, body: { enrollment_code } }));
    expect(new Set(replies.map((r) => JSON.stringify([r.status, r.body])))).toEqual(
      new Set([JSON.stringify([404, { error: { code: "class.code_not_found", message: replies[0]!.body.error.message } }])]),
    );
    const limited = await call("POST", "/classes/join", { token: guesser.token, body: { enrollment_code: "PPPPPPP" } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call("POST", "/classes/join", { token: guesser.token, body: { enrollment_code: "not a code" } })).status).toBe(400);
  });

  it("serves the gradebook as JSON and as a spreadsheet-safe CSV (by query or Accept)", async () => {
    const teacher = await newUser();
    const student = await newUser("=cmd|' /C calc'!A0");
    const klass = await newClass(teacher, "Café ☕");
    await joined(student, klass.enrollment_code);
    const work = await call("POST", `/classes/${klass.class_id}/assignments`, { token: teacher.token, body: { title: "Quiz, \"one\"", max_points: 20 } });
    await call("PUT", `/submissions/${work.body.assignment_id}_${student.sub}/grade`, { token: teacher.token, body: { assigned_grade: 15 } });

    const book = await call("GET", `/classes/${klass.class_id}/gradebook`, { token: teacher.token });
    expect(book.body.students).toEqual([expect.objectContaining({ student_id: student.sub, average: 75, cells: [expect.objectContaining({ assigned_grade: 15 })] })]);
    expect((await call("GET", `/classes/${klass.class_id}/gradebook`, { token: student.token })).status).toBe(403);

    const requests: Array<{ path: string; headers: Record<string, string> }> = [
      { path: `/classes/${klass.class_id}/gradebook?format=csv`, headers: {} },
      { path: `/classes/${klass.class_id}/gradebook`, headers: { accept: "text/csv" } },
    ];
    for (const request of requests) {
      const response = await fetch(`${stack.apiUrl}${request.path}`, { headers: { authorization: `Bearer ${teacher.token}`, ...request.headers } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("Café ☕ - grades.csv")}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
      expect(text).toBe(`\uFEFFStudent,Email,Average (%),"Quiz, ""one"" (/20)"\r\n'=cmd|' /C calc'!A0,${student.email},75,15\r\n`);
    }
    expect((await call("GET", `/classes/${klass.class_id}/gradebook?format=xml`, { token: teacher.token })).status).toBe(400);
  });
});
