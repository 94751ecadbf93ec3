/**
 * Model-based property test of submissions and grades (fast-check `commands`): random
 * turn-ins, reclaims, grades, returns, point changes and deletes by a teacher and several
 * students, some of them at the same moment, against a simple model of the state machine.
 *
 * After every step: each call answered what the model says (for a concurrent pair, what one
 * of the two orders says), the stored submissions equal the model's, no stored item is in a
 * state the machine forbids (grades within 0..max_points with 2 decimals, turned-in work with a
 * time, and so on), and a student never sees a draft grade or anyone else's work.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Submission from "../src/submission/index.ts";
import { db } from "../src/table.ts";
import { code, makeClass, type TestClass } from "./factory.ts";

const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const STUDENTS = 3;

type State = "new" | "turned_in" | "returned" | "reclaimed";
interface Sub {
  state: State;
  draft: number | null;
  assigned: number | null;
}
interface Model {
  max: number | null;
  deleted: boolean;
  subs: Sub[];
}
interface Real {
  assignment_id: string;
}

type Op =
  | { kind: "turnIn"; student: number; text?: string }
  | { kind: "reclaim"; student: number }
  | { kind: "grade"; student: number; draft?: number | null; assigned?: number | null }
  | { kind: "return"; student: number }
  | { kind: "setMax"; max: number | null }
  | { kind: "delete" }
  | { kind: "look"; student: number };

let klass: TestClass;
let students: Actor[];

const clone = (model: Model): Model => ({ ...model, subs: model.subs.map((s) => ({ ...s })) });

/** What the model says a call answers, changing the model as the call would change the data. */
function expected(model: Model, op: Op): string {
  switch (op.kind) {
    case "turnIn": {
      if (model.deleted) return "assignment.not_found";
      const sub = model.subs[op.student]!;
      if (sub.state === "turned_in") return "submission.already_turned_in";
      sub.state = "turned_in";
      return "resolved";
    }
    case "reclaim": {
      if (model.deleted) return "assignment.not_found";
      const sub = model.subs[op.student]!;
      if (sub.state !== "turned_in") return "submission.not_turned_in";
      sub.state = "reclaimed";
      return "resolved";
    }
    case "grade": {
      if (model.deleted) return "submission.not_found";
      if (model.max === null) return "assignment.ungraded";
      const given = [op.draft, op.assigned].filter((g): g is number => typeof g === "number");
      if (given.some((g) => g > model.max!)) return "submission.grade_out_of_range";
      const sub = model.subs[op.student]!;
      if (op.draft !== undefined) sub.draft = op.draft;
      if (op.assigned !== undefined) sub.assigned = op.assigned;
      return "resolved";
    }
    case "return": {
      if (model.deleted) return "submission.not_found";
      const sub = model.subs[op.student]!;
      sub.state = "returned";
      if (sub.draft !== null) {
        sub.assigned = sub.draft;
        sub.draft = null;
      }
      return "resolved";
    }
    case "setMax": {
      if (model.deleted) return "assignment.not_found";
      const lowered = model.max !== null && (op.max === null || op.max < model.max);
      const grades = model.subs.flatMap((s) => [s.draft, s.assigned]).filter((g): g is number => g !== null);
      if (lowered && grades.length > 0 && (op.max === null || Math.max(...grades) > op.max)) return "assignment.grades_above_max";
      model.max = op.max;
      return "resolved";
    }
    case "delete": {
      if (model.deleted) return "assignment.not_found";
      model.deleted = true;
      return "resolved";
    }
    case "look":
      return model.deleted ? "assignment.not_found" : "resolved";
  }
}

/** Makes the call for real; answers "resolved" or the error code. */
async function perform(real: Real, op: Op): Promise<string> {
  const { assignment_id } = real;
  const id = (student: number) => Submission.submissionId(assignment_id, students[student]!.userId);
  switch (op.kind) {
    case "turnIn":
      return code(Submission.turnIn({ assignment_id, ...(op.text ? { text: op.text } : {}) }, students[op.student]!));
    case "reclaim":
      return code(Submission.reclaim({ assignment_id }, students[op.student]!));
    case "grade":
      return code(
        Submission.grade(
          { submission_id: id(op.student), ...(op.draft !== undefined ? { draft_grade: op.draft } : {}), ...(op.assigned !== undefined ? { assigned_grade: op.assigned } : {}) },
          klass.teacher,
        ),
      );
    case "return":
      return code(Submission.giveBack({ submission_id: id(op.student) }, klass.teacher));
    case "setMax":
      return code(Assignment.update({ assignment_id, max_points: op.max }, klass.teacher));
    case "delete":
      return code(Assignment.remove({ assignment_id }, klass.teacher));
    case "look": {
      // What a student sees: only their own submission, never a draft grade.
      const who = students[op.student]!;
      try {
        const { submissions } = await Submission.list({ assignment_id }, who);
        if (submissions.length !== 1 || submissions[0]!.student_id !== who.userId) return `sees others: ${JSON.stringify(submissions)}`;
        if ("draft_grade" in submissions[0]!) return "sees a draft grade";
        return `resolved:${submissions[0]!.state}:${submissions[0]!.assigned_grade}`;
      } catch (error) {
        return code(Promise.reject(error));
      }
    }
  }
}

/** The model's answer for `look`, in the same form as `perform`'s. */
const lookAnswer = (model: Model, op: Op, answer: string) =>
  op.kind === "look" && answer === "resolved" ? `resolved:${model.subs[op.student]!.state}:${model.subs[op.student]!.assigned}` : answer;

const twoDecimals = (g: number) => Math.abs(g * 100 - Math.round(g * 100)) < 1e-6;

/** The stored data as the model sees it, plus every violation of the machine's rules. */
async function stored(real: Real): Promise<{ model: Model; violations: string[] }> {
  const [{ data: assignment }, { data: items }] = await Promise.all([
    db().entities.assignment.get({ assignment_id: real.assignment_id }).go({ consistent: true }),
    db().entities.submission.query.byClass({ class_id: klass.class_id, assignment_id: real.assignment_id }).go({ pages: "all" }),
  ]);
  const violations: string[] = [];
  const max = assignment?.max_points ?? null;
  const subs = students.map((s): Sub => ({ state: "new", draft: null, assigned: null }));
  for (const item of items) {
    const index = students.findIndex((s) => s.userId === item.student_id);
    if (index < 0) violations.push(`a submission of someone else: ${item.student_id}`);
    if (item.state === "turned_in" && !item.turned_in_at) violations.push("turned in without a time");
    if (item.state === "returned" && !item.returned_at) violations.push("returned without a time");
    if (item.state === "reclaimed" && !item.turned_in_at) violations.push("reclaimed but never turned in");
    for (const g of [item.draft_grade, item.assigned_grade]) {
      if (g === undefined) continue;
      if (max === null) violations.push(`a grade ${g} on ungraded work`);
      else if (g < 0 || g > max || !twoDecimals(g)) violations.push(`grade ${g} outside 0..${max}`);
    }
    if (!(item.version >= 1)) violations.push(`version ${item.version}`);
    if (index >= 0) subs[index] = { state: item.state, draft: item.draft_grade ?? null, assigned: item.assigned_grade ?? null };
  }
  return { model: { max, deleted: Boolean(assignment?.deleted_at), subs }, violations };
}

async function verify(model: Model, real: Real) {
  const found = await stored(real);
  expect(found.violations).toEqual([]);
  expect(found.model).toEqual(model);
}

class Step implements fc.AsyncCommand<Model, Real> {
  readonly op: Op;
  constructor(op: Op) {
    this.op = op;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    const answer = await perform(real, this.op);
    const predicted = lookAnswer(model, this.op, expected(model, this.op));
    expect(answer, this.toString()).toBe(predicted);
    await verify(model, real);
  }
  toString = () => JSON.stringify(this.op);
}

/** Two calls at once: the answers and the stored data must be those of one of the two orders. */
class Together implements fc.AsyncCommand<Model, Real> {
  readonly a: Op;
  readonly b: Op;
  constructor(a: Op, b: Op) {
    this.a = a;
    this.b = b;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    const [ra, rb] = await Promise.all([perform(real, this.a), perform(real, this.b)]);
    const found = await stored(real);
    expect(found.violations).toEqual([]);
    // Either a then b, or b then a (the two ops may even be one object: compare by position).
    const fits = [false, true].map((bFirst) => {
      const next = clone(model);
      const [first, second] = bFirst ? [this.b, this.a] : [this.a, this.b];
      const answerFirst = lookAnswer(next, first, expected(next, first));
      const answerSecond = lookAnswer(next, second, expected(next, second));
      const [answerA, answerB] = bFirst ? [answerSecond, answerFirst] : [answerFirst, answerSecond];
      return { next, ok: answerA === ra && answerB === rb };
    });
    const fit = fits.find((f) => f.ok && JSON.stringify(f.next) === JSON.stringify(found.model));
    expect(fit, `${this.toString()} answered ${ra} / ${rb}, stored ${JSON.stringify(found.model)}, from ${JSON.stringify(model)}`).toBeDefined();
    Object.assign(model, fit!.next);
  }
  toString = () => `together(${JSON.stringify(this.a)}, ${JSON.stringify(this.b)})`;
}

const student = fc.nat({ max: STUDENTS - 1 });
const gradeValue = fc.constantFrom(0, 2.5, 5, 7.25, 10, 49.99, 60, 100);
const maybeGrade = fc.option(fc.option(gradeValue, { nil: null }), { nil: undefined });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("turnIn" as const), student, text: fc.constantFrom(undefined, "my work") }).map((o) => (o.text ? o : { kind: o.kind, student: o.student })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("reclaim" as const), student }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constant("grade" as const), student, draft: maybeGrade, assigned: maybeGrade })
      .filter((o) => o.draft !== undefined || o.assigned !== undefined)
      .map((o) => ({ kind: o.kind, student: o.student, ...(o.draft !== undefined ? { draft: o.draft } : {}), ...(o.assigned !== undefined ? { assigned: o.assigned } : {}) })),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("return" as const), student }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("setMax" as const), max: fc.constantFrom(null, 5, 10, 50, 100) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "delete" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("look" as const), student }) },
);
const commands = [
  op.map((o) => new Step(o)),
  fc.tuple(op, op).map(([a, b]) => new Together(a, b)),
];

beforeAll(async () => {
  klass = await makeClass({ students: STUDENTS });
  students = klass.students;
});

describe("submissions against a model of the state machine", () => {
  it(`never reaches a forbidden state, never shows a draft to a student, and stores what the model says (${RUNS} runs)`, { timeout: 300_000 }, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<number | null>(10, 100, null), fc.commands(commands, { maxCommands: 7 }), async (max, cmds) => {
        const created = await Assignment.create({ class_id: klass.class_id, title: "Model", max_points: max }, klass.teacher);
        const model: Model = { max, deleted: false, subs: students.map(() => ({ state: "new", draft: null, assigned: null })) };
        await fc.asyncModelRun(() => ({ model, real: { assignment_id: created.assignment_id } }), cmds);
      }),
      { numRuns: RUNS },
    );
    console.log(`model test: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
