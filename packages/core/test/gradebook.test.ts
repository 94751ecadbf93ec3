import { describe, expect, it } from "vitest";
import * as Gradebook from "../src/gradebook/index.ts";
import { newId } from "../src/ids.ts";
import * as Submission from "../src/submission/index.ts";
import { db, dynamo } from "../src/table.ts";
import { code, makeAssignment, makeClass, makeUser } from "./factory.ts";

/**
 * Counts the requests sent to DynamoDB (and the read capacity they consumed) while `work` runs,
 * with a middleware on the shared client.
 */
async function metered<T>(work: () => Promise<T>): Promise<{ result: T; requests: string[]; capacity: number }> {
  const requests: string[] = [];
  let capacity = 0;
  const name = `meter-${newId()}`;
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(context.commandName ?? "?");
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      const output = await next(args);
      const consumed = (output.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }).ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) capacity += c.CapacityUnits ?? 0;
      return output;
    },
    { step: "initialize", name },
  );
  try {
    return { result: await work(), requests, capacity };
  } finally {
    dynamo().middlewareStack.remove(name);
  }
}

/** Students written straight to the table (test data; joining 40 people one by one is not what is tested). */
async function addStudents(class_id: string, n: number) {
  const students = Array.from({ length: n }, (_, i) => ({ userId: newId(), name: `Student ${String(i).padStart(2, "0")}` }));
  const joined_at = new Date().toISOString();
  await db()
    .entities.membership.put(students.map((s) => ({ class_id, user_id: s.userId, role: "student" as const, user_name: s.name, class_name: "Big class", joined_at })))
    .go();
  return students;
}

describe("gradebook", () => {
  it("reads 40 students x 30 assignments in a fixed, small number of requests", { timeout: 120_000 }, async () => {
    const klass = await makeClass({ students: 0 });
    const students = await addStudents(klass.class_id, 40);
    const assignments = [];
    for (let i = 0; i < 30; i++) assignments.push(await makeAssignment(klass, { title: `Task ${i}`, max_points: 10 }));
    const now = new Date().toISOString();
    const items = assignments.flatMap((a, i) =>
      students.map((s, j) => ({
        class_id: klass.class_id,
        assignment_id: a.assignment_id,
        student_id: s.userId,
        state: "returned" as const,
        assigned_grade: (i + j) % 11,
        draft_grade: 5,
        turned_in_at: now,
        returned_at: now,
        late: false,
        version: 1,
        updated_at: now,
      })),
    );
    await db().entities.submission.put(items).go();

    const big = await metered(() => Gradebook.get({ class_id: klass.class_id }, klass.teacher));
    expect(big.result.students).toHaveLength(40);
    expect(big.result.assignments).toHaveLength(30);
    expect(big.result.students.every((s) => s.cells.length === 30 && s.cells.every((c) => c.state === "returned"))).toBe(true);
    const first = big.result.students[0]!;
    const expected = Math.round(((first.cells.reduce((n, c) => n + c.assigned_grade!, 0)) / 300) * 10_000) / 100;
    expect(first.average).toBe(expected);

    const small = await makeClass({ students: 1 });
    await makeAssignment(small);
    const tiny = await metered(() => Gradebook.get({ class_id: small.class_id }, small.teacher));
    // One membership check, then one Query each for students, assignments and submissions.
    expect(tiny.requests.sort()).toEqual(["GetItemCommand", "QueryCommand", "QueryCommand", "QueryCommand"]);
    expect(big.requests.length).toBeLessThanOrEqual(tiny.requests.length + 1);
    console.log(`gradebook 40 x 30: ${big.requests.length} requests (${big.requests.join(", ")}), ${big.capacity} read capacity units`);
  });

  it("is for teachers only, and counts published graded work in the average", async () => {
    const klass = await makeClass({ students: 2 });
    const [alex, sam] = klass.students as [typeof klass.teacher, typeof klass.teacher];
    const a = await makeAssignment(klass, { title: "=HYPERLINK(\"http://x\")", max_points: 20 });
    const b = await makeAssignment(klass, { title: "Essay, part \"2\"", max_points: 80 });
    await makeAssignment(klass, { title: "Ungraded", max_points: null });
    await makeAssignment(klass, { title: "Draft", state: "draft" });
    await Submission.grade({ submission_id: Submission.submissionId(a.assignment_id, alex.userId), assigned_grade: 10 }, klass.teacher);
    await Submission.grade({ submission_id: Submission.submissionId(b.assignment_id, alex.userId), draft_grade: 80 }, klass.teacher);
    await Submission.giveBack({ submission_id: Submission.submissionId(b.assignment_id, alex.userId) }, klass.teacher);
    await Submission.grade({ submission_id: Submission.submissionId(b.assignment_id, sam.userId), draft_grade: 40 }, klass.teacher);

    expect(await code(Gradebook.get({ class_id: klass.class_id }, alex))).toBe("class.teacher_only");
    expect(await code(Gradebook.get({ class_id: klass.class_id }, await makeUser()))).toBe("class.not_found");
    const book = await Gradebook.get({ class_id: klass.class_id }, klass.teacher);
    const row = (id: string) => book.students.find((s) => s.student_id === id)!;
    expect(row(alex.userId).average).toBe(90);
    expect(row(sam.userId).average).toBeNull();
    expect(row(sam.userId).cells.find((c) => c.assignment_id === b.assignment_id)).toMatchObject({ draft_grade: 40, assigned_grade: null });
  });

  it("exports CSV a spreadsheet opens safely: BOM, quoting, formulas neutralized", async () => {
    const klass = await makeClass({ students: 0 });
    const [student] = await addStudents(klass.class_id, 1);
    await db().entities.membership.patch({ class_id: klass.class_id, user_id: student!.userId }).set({ user_name: "@Zoë, \"the\" +1" }).go();
    const a = await makeAssignment(klass, { title: "=1+1", max_points: 10 });
    await Submission.grade({ submission_id: Submission.submissionId(a.assignment_id, student!.userId), assigned_grade: 7.5 }, klass.teacher);
    const { content, filename } = await Gradebook.csv({ class_id: klass.class_id }, klass.teacher);
    expect(filename).toBe("Biology 101 - grades.csv");
    expect(content.startsWith("\uFEFF")).toBe(true);
    const lines = content.slice(1).split("\r\n");
    expect(lines[0]).toBe("Student,Email,Average (%),'=1+1 (/10)");
    expect(lines[1]).toBe(`"'@Zoë, ""the"" +1",,75,7.5`);
    expect(lines[2]).toBe("");
    expect(Gradebook.csvCell("-2")).toBe("'-2");
    expect(Gradebook.csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(Gradebook.csvCell(3)).toBe("3");
  });
});
