/**
 * Classes beside the demo class, one per e2e file that changes class state (removing a member,
 * muting, pinning…), so the files do not depend on each other's order. Written with the domain
 * functions in the setup process, before any browser starts.
 */
import type { Actor } from "@classroom/core/actor";
import * as Chat from "@classroom/core/chat";
import * as Class from "@classroom/core/class";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import * as User from "@classroom/core/user";
import { type Pool, ensureUser } from "@classroom/local-services/cognito";
import type { Seeded } from "@classroom/local/seed";

export interface FixtureUser {
  email: string;
  password: string;
  name: string;
  user_id: string;
}

export interface FixtureClass {
  class_id: string;
  class_name: string;
}

export interface Fixtures {
  /** Extra students, in no demo class. */
  users: { riley: FixtureUser };
  /** A class with a long chat (layout and composer tests). */
  chemistry: FixtureClass;
  /** A class whose student Riley gets removed while looking at it. */
  physics: FixtureClass;
  /** A class for moderation: the teacher, Alex and Sam, a few messages and posts. */
  history: FixtureClass;
  /** A class for attachments: the teacher, Alex and Sam, nothing posted or assigned. */
  art: FixtureClass;
}

const PASSWORD = "Classroom-Fixture-1";

export async function createFixtures(cognitoEndpoint: string, pool: Pool, demo: Seeded): Promise<Fixtures> {
  const actor = (u: { user_id: string; name: string; email: string }): Actor => ({ userId: u.user_id, name: u.name, email: u.email });
  const teacher = actor(demo.users.teacher);
  const alex = actor(demo.users.student1);
  const sam = actor(demo.users.student2);

  const rileyProfile = { email: "riley@classroom.test", name: "Riley Park", password: PASSWORD };
  const riley: FixtureUser = { ...rileyProfile, user_id: await ensureUser(cognitoEndpoint, pool, rileyProfile) };
  const rileyActor = actor(riley);
  await User.remember(rileyActor);

  const newClass = async (name: string, students: Actor[]): Promise<FixtureClass> => {
    const { class_id } = await Class.create({ name }, teacher);
    for (const s of students) await Membership.add({ class_id, email: s.email!, role: "student" }, teacher);
    return { class_id, class_name: name };
  };

  const chemistry = await newClass("Chemistry 9B", [alex, sam]);
  for (let i = 1; i <= 24; i++) {
    const from = i % 3 === 0 ? teacher : i % 2 === 0 ? sam : alex;
    await Chat.send({ class_id: chemistry.class_id, content: `Titration notes, part ${i}: add the base drop by drop.` }, from);
  }
  await Post.create({ class_id: chemistry.class_id, content: "Lab safety quiz on Monday. Goggles on at all times." }, teacher);

  const physics = await newClass("Physics 7A", [rileyActor, alex]);
  await Chat.send({ class_id: physics.class_id, content: "Homework: chapter 4, problems 1 to 10." }, teacher);
  await Chat.send({ class_id: physics.class_id, content: "Do we show our working for problem 7?" }, rileyActor);
  await Chat.send({ class_id: physics.class_id, content: "Yes, always show your working." }, teacher);

  const history = await newClass("History 8C", [alex, sam]);
  await Chat.send({ class_id: history.class_id, content: "Essay topics are up in the stream." }, teacher);
  for (const content of ["Reading: the Silk Road, pages 40-52.", "Essay topics for this term.", "Field trip forms are due Friday.", "Museum visit on the 12th."]) {
    await Post.create({ class_id: history.class_id, content }, teacher);
  }

  const art = await newClass("Art 6D", [alex, sam]);
  await Chat.send({ class_id: art.class_id, content: "Bring a sketchbook on Thursday." }, teacher);

  return { users: { riley }, chemistry, physics, history, art };
}
