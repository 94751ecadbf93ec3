/** Demo data for `pnpm dev`: a class with one teacher and two students, some chat, a post with comments. */
import type { Actor } from "@classroom/core/actor";
import * as Chat from "@classroom/core/chat";
import * as Class from "@classroom/core/class";
import * as Comment from "@classroom/core/comment";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import * as User from "@classroom/core/user";
import { type Pool, ensureUser } from "@classroom/local-services/cognito";

export const DEMO_PASSWORD = "Classroom-Demo-1";

export const DEMO_USERS = {
  teacher: { email: "teacher@classroom.test", name: "Ms. Rivera" },
  student1: { email: "alex@classroom.test", name: "Alex Kim" },
  student2: { email: "sam@classroom.test", name: "Sam Lee" },
  outsider: { email: "jordan@classroom.test", name: "Jordan Fox" },
} as const;

export type DemoRole = keyof typeof DEMO_USERS;

export interface Seeded {
  users: Record<DemoRole, { email: string; password: string; name: string; user_id: string }>;
  class_id: string;
  class_name: string;
}

/** Creates what is missing and leaves existing data alone, so it can run on every start. */
export async function seedDemo(cognitoEndpoint: string, pool: Pool): Promise<Seeded> {
  const users = {} as Seeded["users"];
  const actors = {} as Record<DemoRole, Actor>;
  for (const [role, user] of Object.entries(DEMO_USERS) as Array<[DemoRole, (typeof DEMO_USERS)[DemoRole]]>) {
    const user_id = await ensureUser(cognitoEndpoint, pool, { ...user, password: DEMO_PASSWORD });
    users[role] = { ...user, password: DEMO_PASSWORD, user_id };
    actors[role] = { userId: user_id, name: user.name, email: user.email };
    await User.remember(actors[role]);
  }

  const class_name = "Biology 101";
  const existing = (await Class.mine(actors.teacher)).find((c) => c.name === class_name);
  if (existing) return { users, class_id: existing.class_id, class_name };

  const { class_id } = await Class.create({ name: class_name }, actors.teacher);
  await Membership.add({ class_id, email: DEMO_USERS.student1.email, role: "student" }, actors.teacher);
  await Membership.add({ class_id, email: DEMO_USERS.student2.email, role: "student" }, actors.teacher);

  await Chat.send({ class_id, content: "Welcome to Biology 101! Ask questions here any time." }, actors.teacher);
  const question = await Chat.send({ class_id, content: "Is the lab report due Friday or Monday?" }, actors.student1);
  await Chat.send({ class_id, content: "Friday, end of day. Hand it in on paper or as a PDF." }, actors.teacher);
  await Chat.react({ message_id: question.message_id, reaction_type: "like" }, actors.student2);

  const post = await Post.create(
    { class_id, content: "This week: cell structure. Read chapter 3 and bring one question to Thursday's lab." },
    actors.teacher,
  );
  await Comment.create({ post_id: post.post_id, content: "Do we need the lab coat on Thursday?" }, actors.student2);
  await Comment.create({ post_id: post.post_id, content: "Yes, and safety glasses." }, actors.teacher);
  return { users, class_id, class_name };
}
