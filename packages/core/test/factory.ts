/** Test data builders: real users, classes and memberships written through the domain functions. */
import type { Actor } from "../src/actor.ts";
import * as Assignment from "../src/assignment/index.ts";
import * as Class from "../src/class/index.ts";
import * as Membership from "../src/membership/index.ts";
import * as User from "../src/user/index.ts";
import { DomainError } from "../src/errors.ts";
import { newId } from "../src/ids.ts";

export async function makeUser(overrides: Partial<Actor> = {}): Promise<Actor> {
  const id = overrides.userId ?? newId();
  const actor: Actor = { userId: id, name: `User ${id.slice(-6)}`, email: `${id.toLowerCase()}@school.test`, ...overrides };
  await User.remember(actor);
  return actor;
}

export interface TestClass {
  class_id: string;
  teacher: Actor;
  students: Actor[];
}

export async function makeClass(options: { students?: number; name?: string } = {}): Promise<TestClass> {
  const teacher = await makeUser({ name: "Ms Teacher" });
  const { class_id } = await Class.create({ name: options.name ?? "Biology 101" }, teacher);
  const students = await Promise.all(Array.from({ length: options.students ?? 2 }, () => makeUser()));
  await Promise.all(students.map((s) => Membership.add({ class_id, email: s.email!, role: "student" }, teacher)));
  return { class_id, teacher, students };
}

/** An assignment in the class, by its teacher (published, 100 points, no due date unless overridden). */
export async function makeAssignment(klass: TestClass, overrides: Partial<Parameters<typeof Assignment.create>[0]> = {}): Promise<Assignment.Assignment> {
  return Assignment.create({ class_id: klass.class_id, title: "Lab report", ...overrides }, klass.teacher);
}

/** How a call ended: "resolved", or the domain error's code (anything else is marked unexpected). */
export const code = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof DomainError ? error.code : `unexpected: ${String(error)}`),
  );
