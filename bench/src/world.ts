/** Test population: real users in the local pool (real tokens), classes and memberships seeded through core. */
import type { Actor } from "@classroom/core/actor";
import * as Class from "@classroom/core/class";
import * as Membership from "@classroom/core/membership";
import * as User from "@classroom/core/user";
import { ensureUser, signIn, type Pool } from "@classroom/local-services/cognito";
import { pool } from "./stats.ts";

export interface BenchUser {
  actor: Actor;
  token: string;
}

export interface StackInfo {
  apiUrl: string;
  cognitoEndpoint: string;
  pool: Pool;
  env: Record<string, string>;
}

let made = 0;

export async function makeUsers(stack: StackInfo, count: number): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array(count);
  await pool(count, 8, async (i) => {
    const n = ++made;
    const email = `bench-${n}@school.test`;
    const password = "Bench-Password-1";
    const name = `Bench User ${n}`;
    const sub = await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password, name });
    const { accessToken } = await signIn(stack.cognitoEndpoint, stack.pool, email, password);
    const actor: Actor = { userId: sub, name, email };
    await User.remember(actor);
    users[i] = { actor, token: accessToken };
  });
  return users;
}

/** A class taught by `teacher` with `students` as members. */
export async function makeClass(teacher: BenchUser, students: BenchUser[], name = "Bench class"): Promise<string> {
  const { class_id } = await Class.create({ name }, teacher.actor);
  await pool(students.length, 8, async (i) => {
    await Membership.add({ class_id, email: students[i]!.actor.email!, role: "student" }, teacher.actor);
  });
  return class_id;
}
