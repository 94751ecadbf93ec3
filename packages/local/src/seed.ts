/**
 * Demo data for `pnpm dev`: a class with one teacher and two students, some chat, a post with
 * comments, and two assignments (one turned in by Alex, graded and returned).
 */
import type { Actor } from "@classroom/core/actor";
import * as Assignment from "@classroom/core/assignment";
import * as Chat from "@classroom/core/chat";
import * as Class from "@classroom/core/class";
import * as Comment from "@classroom/core/comment";
import * as Membership from "@classroom/core/membership";
import * as Post from "@classroom/core/post";
import * as Submission from "@classroom/core/submission";
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
  if (existing) {
    await seedCoursework(existing.class_id, actors);
    return { users, class_id: existing.class_id, class_name };
  }

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
  await seedCoursework(class_id, actors);
  return { users, class_id, class_name };
}

/** Two assignments, unless the class has some already: a lab report Alex turned in and got back graded, and an open worksheet. */
async function seedCoursework(class_id: string, actors: Record<DemoRole, Actor>): Promise<void> {
  const { assignments } = await Assignment.list({ class_id, limit: 1 }, actors.teacher);
  if (assignments.length > 0) return;
  const day = 86_400_000;
  const lab = await Assignment.create(
    {
      class_id,
      title: "Lab report: cell structure",
      description: "Describe what you saw under the microscope in Thursday's lab, with one labelled drawing.",
      max_points: 100,
      due_at: new Date(Date.now() + day).toISOString(),
    },
    actors.teacher,
  );
  await Assignment.create(
    {
      class_id,
      title: "Photosynthesis worksheet",
      description: "Answer questions 1 to 8 on page 54.",
      max_points: 20,
      due_at: new Date(Date.now() + 7 * day).toISOString(),
    },
    actors.teacher,
  );
  await Submission.turnIn({ assignment_id: lab.assignment_id, text: "The onion cells had clear walls and one nucleus each; drawing attached in class." }, actors.student1);
  const submission_id = Submission.submissionId(lab.assignment_id, actors.student1.userId);
  await Submission.grade({ submission_id, draft_grade: 92 }, actors.teacher);
  await Submission.giveBack({ submission_id }, actors.teacher);
}
