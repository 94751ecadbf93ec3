/**
 * Property test of the standings (fast-check `commands`): random grades, returns, regrades,
 * turn-ins, reclaims, point changes, publishing, assignment deletes, member removals and
 * returns, by a teacher and three students, some of them at the same moment.
 *
 * After each run (and each concurrent pair), against a recomputation from the submissions
 * themselves: every standing equals the sum and count of its student's returned, graded work;
 * every submission counts for exactly its contribution; the ranking index holds exactly the
 * class's students with graded work, by score then name; the top performers' index holds
 * exactly those above 80.
 * The calls may be refused (a grade above the points, work of a removed student), but never
 * with anything but a domain error.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Class from "../src/class/index.ts";
import * as Membership from "../src/membership/index.ts";
import * as Submission from "../src/submission/index.ts";
import { code, makeUser } from "./factory.ts";
import { expectStandingsExact } from "./standings-check.ts";

const RUNS = Number(process.env.STANDINGS_RUNS ?? 200);
/** Checks after each single step too (twice the time); by default after each concurrent pair and at the end of a run. */
const CHECK_EVERY_STEP = process.env.STANDINGS_CHECK_EVERY_STEP === "1";
const STUDENTS = 3;
const ASSIGNMENTS = 2;

type Op =
  | { kind: "grade"; student: number; assignment: number; draft?: number | null; assigned?: number | null }
  | { kind: "return"; student: number; assignment: number }
  | { kind: "turnIn"; student: number; assignment: number }
  | { kind: "reclaim"; student: number; assignment: number }
  | { kind: "setMax"; assignment: number; max: number }
  | { kind: "publish"; assignment: number }
  | { kind: "delete"; assignment: number }
  | { kind: "remove"; student: number }
  | { kind: "rejoin"; student: number };

interface Real {
  class_id: string;
  teacher: Actor;
  assignments: string[];
}

let students: Actor[];

async function perform(real: Real, op: Op): Promise<string> {
  const t = real.teacher;
  const who = "student" in op ? students[op.student]! : undefined;
  const assignment_id = "assignment" in op ? real.assignments[op.assignment]! : "";
  const submission_id = who ? Submission.submissionId(assignment_id, who.userId) : "";
  switch (op.kind) {
    case "grade":
      return code(
        Submission.grade(
          { submission_id, ...(op.draft !== undefined ? { draft_grade: op.draft } : {}), ...(op.assigned !== undefined ? { assigned_grade: op.assigned } : {}) },
          t,
        ),
      );
    case "return":
      return code(Submission.giveBack({ submission_id }, t));
    case "turnIn":
      return code(Submission.turnIn({ assignment_id }, who!));
    case "reclaim":
      return code(Submission.reclaim({ assignment_id }, who!));
    case "setMax":
      return code(Assignment.update({ assignment_id, max_points: op.max }, t));
    case "publish":
      return code(Assignment.update({ assignment_id, state: "published" }, t));
    case "delete":
      return code(Assignment.remove({ assignment_id }, t));
    case "remove":
      return code(Membership.remove({ class_id: real.class_id, user_id: who!.userId }, t));
    case "rejoin":
      return code(Membership.add({ class_id: real.class_id, email: who!.email!, role: "student" }, t));
  }
}

/** Answers that are not a refusal the domain may give: a bug. */
const unexpected = (answer: string) => answer.startsWith("unexpected") || answer === "write.contended";

class Step implements fc.AsyncCommand<object, Real> {
  readonly op: Op;
  constructor(op: Op) {
    this.op = op;
  }
  check = () => true;
  async run(_model: object, real: Real) {
    const answer = await perform(real, this.op);
    expect(unexpected(answer), `${this.toString()} answered ${answer}`).toBe(false);
    if (CHECK_EVERY_STEP) await expectStandingsExact(real.class_id, this.toString());
  }
  toString = () => JSON.stringify(this.op);
}

class Together implements fc.AsyncCommand<object, Real> {
  readonly a: Op;
  readonly b: Op;
  constructor(a: Op, b: Op) {
    this.a = a;
    this.b = b;
  }
  check = () => true;
  async run(_model: object, real: Real) {
    const answers = await Promise.all([perform(real, this.a), perform(real, this.b)]);
    expect(answers.some(unexpected), `${this.toString()} answered ${answers.join(" / ")}`).toBe(false);
    await expectStandingsExact(real.class_id, this.toString());
  }
  toString = () => `together(${JSON.stringify(this.a)}, ${JSON.stringify(this.b)})`;
}

const student = fc.nat({ max: STUDENTS - 1 });
const assignment = fc.nat({ max: ASSIGNMENTS - 1 });
// Around the top performers' threshold (80 %) on 10 and 100 points, and some plain ones.
const gradeValue = fc.constantFrom(0, 5, 7.99, 8, 8.01, 10, 79.99, 80, 80.01, 100);
const maybeGrade = fc.option(fc.option(gradeValue, { nil: null }), { nil: undefined });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ kind: fc.constant("grade" as const), student, assignment, draft: maybeGrade, assigned: maybeGrade })
      .filter((o) => o.draft !== undefined || o.assigned !== undefined)
      .map((o) => ({
        kind: o.kind,
        student: o.student,
        assignment: o.assignment,
        ...(o.draft !== undefined ? { draft: o.draft } : {}),
        ...(o.assigned !== undefined ? { assigned: o.assigned } : {}),
      })),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("return" as const), student, assignment }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("turnIn" as const), student, assignment }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reclaim" as const), student, assignment }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("setMax" as const), assignment, max: fc.constantFrom(10, 20, 100) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("publish" as const), assignment }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), assignment }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), student }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rejoin" as const), student }) },
);
const commands = [op.map((o) => new Step(o)), fc.tuple(op, op).map(([a, b]) => new Together(a, b))];

let teacher: Actor;

beforeAll(async () => {
  teacher = await makeUser({ name: "Ms Teacher" });
  // Two names that tie (ranked by id then) and one that does not.
  students = await Promise.all(["Ana", "ana", "Ben"].map((name) => makeUser({ name })));
});

describe("standings against a recomputation from the submissions", () => {
  it(`stay exact, and both indexes hold exactly what they should, after any steps (${RUNS} runs)`, { timeout: 600_000 }, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom(10, 100), fc.constantFrom(10, 100)),
        fc.boolean(),
        fc.uniqueArray(fc.tuple(student, assignment, gradeValue), { maxLength: 2, selector: ([s, a]) => `${s}/${a}` }),
        fc.commands(commands, { maxCommands: 5 }),
        async (maxes, secondIsDraft, returned, cmds) => {
          const { class_id } = await Class.create({ name: "Standings" }, teacher);
          await Promise.all(students.map((s) => Membership.add({ class_id, email: s.email!, role: "student" }, teacher)));
          const assignments = await Promise.all(
            maxes.map((max_points, i) => Assignment.create({ class_id, title: `Work ${i}`, max_points, state: i === 1 && secondIsDraft ? "draft" : "published" }, teacher)),
          );
          const real: Real = { class_id, teacher, assignments: assignments.map((a) => a.assignment_id) };
          // Some work graded and returned (at once) before the steps, so they start from standings.
          await Promise.all(
            returned.map(async ([s, a, grade]) => {
              await perform(real, { kind: "grade", student: s, assignment: a, draft: grade });
              await perform(real, { kind: "return", student: s, assignment: a });
            }),
          );
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
          await expectStandingsExact(class_id, `after ${cmds.toString()}`);
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`standings property test: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
