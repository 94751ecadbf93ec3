/** Moderation: editing and removing messages, posts and comments, muting, locking, pinning, invitations and roles. */
import { describe, expect, it } from "vitest";
import * as Chat from "../src/chat/index.ts";
import * as Class from "../src/class/index.ts";
import * as Comment from "../src/comment/index.ts";
import { MAX_PINNED_POSTS } from "../src/limits.ts";
import * as Membership from "../src/membership/index.ts";
import * as Post from "../src/post/index.ts";
import * as User from "../src/user/index.ts";
import { newId } from "../src/ids.ts";
import { code, makeClass, makeUser } from "./factory.ts";

describe("chat moderation", () => {
  it("lets the author edit their message, shown as edited, and nobody else", async () => {
    const { class_id, teacher, students } = await makeClass();
    const sent = await Chat.send({ class_id, content: "helo" }, students[0]!);
    const edited = await Chat.edit({ message_id: sent.message_id, content: " hello " }, students[0]!);
    expect(edited.content).toBe("hello");
    expect(edited.edited_at).not.toBeNull();
    expect(await code(Chat.edit({ message_id: sent.message_id, content: "mine now" }, students[1]!))).toBe("chat.not_author");
    expect(await code(Chat.edit({ message_id: sent.message_id, content: "mine now" }, teacher))).toBe("chat.not_author");
    const page = await Chat.list({ class_id }, teacher);
    expect(page.messages.map((m) => [m.content, m.edited_at !== null])).toEqual([["hello", true]]);
  });

  it("keeps a removed message in its place as a tombstone, without text or reactions, and the cursor exact", async () => {
    const { class_id, teacher, students } = await makeClass();
    const start = await Chat.list({ class_id }, teacher);
    const a = await Chat.send({ class_id, content: "first" }, students[0]!);
    const b = await Chat.send({ class_id, content: "oops" }, students[0]!);
    const c = await Chat.send({ class_id, content: "third" }, students[1]!);
    await Chat.react({ message_id: b.message_id, reaction_type: "like" }, teacher);

    const removed = await Chat.remove({ message_id: b.message_id }, students[0]!);
    expect(removed).toMatchObject({ content: "", removed: "author", reactions: { like_count: 0, heart_count: 0, mine: [] } });

    const page = await Chat.list({ class_id }, students[1]!);
    expect(page.messages.map((m) => [m.message_id, m.content, m.removed])).toEqual([
      [a.message_id, "first", null],
      [b.message_id, "", "author"],
      [c.message_id, "third", null],
    ]);
    // A reader following the cursor from before still sees each message exactly once, in order.
    const polled = await Chat.poll({ class_id, cursor: start.newer, limit: 100 }, teacher);
    expect(polled.messages.map((m) => m.message_id)).toEqual([a.message_id, b.message_id, c.message_id]);

    expect(await code(Chat.react({ message_id: b.message_id, reaction_type: "heart" }, teacher))).toBe("chat.message_removed");
    expect(await code(Chat.edit({ message_id: b.message_id, content: "back" }, students[0]!))).toBe("chat.message_removed");
    // Removing again changes nothing.
    expect((await Chat.remove({ message_id: b.message_id }, teacher)).removed).toBe("author");
  });

  it("lets a teacher remove any message and refuses other students", async () => {
    const { class_id, teacher, students } = await makeClass();
    const sent = await Chat.send({ class_id, content: "rude" }, students[0]!);
    expect(await code(Chat.remove({ message_id: sent.message_id }, students[1]!))).toBe("chat.not_allowed");
    expect((await Chat.remove({ message_id: sent.message_id }, teacher)).removed).toBe("teacher");
    const outsider = await makeUser();
    expect(await code(Chat.remove({ message_id: sent.message_id }, outsider))).toBe("chat.message_not_found");
  });

  it("refuses a muted student's messages until the mute ends or is lifted, and never mutes a teacher", async () => {
    const { class_id, teacher, students } = await makeClass();
    const student = students[0]!;
    const muted = await Membership.mute({ class_id, user_id: student.userId, minutes: 10 }, teacher);
    expect(Date.parse(muted.muted_until!)).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(await code(Chat.send({ class_id, content: "let me speak" }, student))).toBe("chat.muted");
    expect(await code(Chat.send({ class_id, content: "fine" }, students[1]!))).toBe("resolved");
    expect(await code(Membership.mute({ class_id, user_id: teacher.userId, minutes: 10 }, teacher))).toBe("membership.mute_teacher");
    expect(await code(Membership.mute({ class_id, user_id: students[1]!.userId, minutes: 10 }, student))).toBe("class.teacher_only");

    const lifted = await Membership.mute({ class_id, user_id: student.userId, minutes: 0 }, teacher);
    expect(lifted.muted_until).toBeNull();
    expect(await code(Chat.send({ class_id, content: "thanks" }, student))).toBe("resolved");
  });
});

describe("post moderation", () => {
  it("lets the author edit and remove their post; a removed post and its comments are gone", async () => {
    const { class_id, teacher, students } = await makeClass();
    const post = await Post.create({ class_id, content: "Draft" }, students[0]!);
    await Comment.create({ post_id: post.post_id, content: "nice" }, students[1]!);
    expect(await code(Post.edit({ post_id: post.post_id, content: "x" }, teacher))).toBe("post.not_author");
    const edited = await Post.edit({ post_id: post.post_id, content: "Final" }, students[0]!);
    expect([edited.content, edited.edited_at !== null]).toEqual(["Final", true]);

    expect(await code(Post.remove({ post_id: post.post_id }, students[1]!))).toBe("post.not_allowed");
    await Post.remove({ post_id: post.post_id }, students[0]!);
    expect((await Post.list({ class_id }, teacher)).posts).toEqual([]);
    expect(await code(Comment.list({ post_id: post.post_id }, teacher))).toBe("post.not_found");
    expect(await code(Post.remove({ post_id: post.post_id }, teacher))).toBe("post.not_found");
  });

  it("lets a teacher lock comments: nobody comments until unlocked", async () => {
    const { class_id, teacher, students } = await makeClass();
    const post = await Post.create({ class_id, content: "Debate" }, students[0]!);
    expect(await code(Post.lock({ post_id: post.post_id, locked: true }, students[0]!))).toBe("class.teacher_only");
    expect((await Post.lock({ post_id: post.post_id, locked: true }, teacher)).comments_locked).toBe(true);
    expect(await code(Comment.create({ post_id: post.post_id, content: "but" }, students[1]!))).toBe("post.comments_locked");
    expect(await code(Comment.create({ post_id: post.post_id, content: "me too" }, teacher))).toBe("post.comments_locked");
    await Post.lock({ post_id: post.post_id, locked: false }, teacher);
    expect(await code(Comment.create({ post_id: post.post_id, content: "ok" }, students[1]!))).toBe("resolved");
    expect((await Post.get({ post_id: post.post_id }, teacher)).comment_count).toBe(1);
  });

  it(`pins at most ${MAX_PINNED_POSTS} posts per class, even when teachers pin at once, and lists them first`, async () => {
    const { class_id, teacher } = await makeClass();
    const posts = [];
    for (let i = 0; i < MAX_PINNED_POSTS + 2; i++) posts.push(await Post.create({ class_id, content: `post ${i}` }, teacher));
    const outcomes = await Promise.all(posts.map((p) => code(Post.pin({ post_id: p.post_id, pinned: true }, teacher))));
    expect(outcomes.filter((o) => o === "resolved")).toHaveLength(MAX_PINNED_POSTS);
    expect(outcomes.filter((o) => o === "post.pin_limit")).toHaveLength(2);

    const page = await Post.list({ class_id }, teacher);
    expect(page.pinned).toHaveLength(MAX_PINNED_POSTS);
    expect(page.pinned.every((p) => p.pinned)).toBe(true);

    // Unpinning (or removing a pinned post) makes room again.
    const first = page.pinned[0]!;
    await Post.remove({ post_id: first.post_id }, teacher);
    const unpinned = posts.find((p) => !page.pinned.some((q) => q.post_id === p.post_id))!;
    expect((await Post.pin({ post_id: unpinned.post_id, pinned: true }, teacher)).pinned).toBe(true);
    expect((await Post.list({ class_id }, teacher)).pinned).toHaveLength(MAX_PINNED_POSTS);
  });
});

describe("comment editing", () => {
  it("lets the author edit their comment and nobody else", async () => {
    const { class_id, teacher, students } = await makeClass();
    const post = await Post.create({ class_id, content: "Q" }, teacher);
    const comment = await Comment.create({ post_id: post.post_id, content: "A" }, students[0]!);
    expect(await code(Comment.edit({ comment_id: comment.comment_id, content: "B" }, teacher))).toBe("comment.not_author");
    const edited = await Comment.edit({ comment_id: comment.comment_id, content: "A, really" }, students[0]!);
    expect([edited.content, edited.edited_at !== null]).toEqual(["A, really", true]);
    await Comment.remove({ comment_id: comment.comment_id }, teacher);
    expect(await code(Comment.edit({ comment_id: comment.comment_id, content: "C" }, students[0]!))).toBe("comment.not_found");
  });
});

describe("members, invitations and roles", () => {
  it("invites an email that never signed in; the invitation becomes a membership at first sign-in", async () => {
    const { class_id, teacher } = await makeClass();
    const email = `${newId().toLowerCase()}@school.test`;
    const added = await Membership.add({ class_id, email: email.toUpperCase(), role: "student" }, teacher);
    expect(added).toMatchObject({ status: "invited", invitation: { email, role: "student" } });
    expect((await Membership.invitations({ class_id }, teacher)).map((i) => i.email)).toEqual([email]);
    expect(await code(Membership.add({ class_id, email, role: "student" }, teacher))).toBe("membership.already_invited");

    const newcomer = { userId: newId(), name: "New Person", email };
    await User.remember(newcomer);
    expect(await Membership.acceptInvitations(newcomer)).toBe(1);
    expect(await Membership.acceptInvitations(newcomer)).toBe(0);
    expect(await Membership.roleOf(class_id, newcomer.userId)).toBe("student");
    expect(await Membership.invitations({ class_id }, teacher)).toEqual([]);
  });

  it("says who is already in the class instead of changing their role, and changes roles on its own", async () => {
    const { class_id, teacher, students } = await makeClass();
    const student = students[0]!;
    const again = await code(Membership.add({ class_id, email: student.email!, role: "teacher" }, teacher));
    expect(again).toBe("membership.exists");
    expect(await Membership.roleOf(class_id, student.userId)).toBe("student");

    expect(await code(Membership.setRole({ class_id, user_id: student.userId, role: "teacher" }, student))).toBe("class.teacher_only");
    expect(await code(Membership.setRole({ class_id, user_id: teacher.userId, role: "student" }, teacher))).toBe("membership.own_role");
    expect((await Membership.setRole({ class_id, user_id: student.userId, role: "teacher" }, teacher)).role).toBe("teacher");
    expect(await Membership.roleOf(class_id, student.userId)).toBe("teacher");
  });

  it("lets a teacher withdraw an invitation", async () => {
    const { class_id, teacher } = await makeClass();
    const email = `${newId().toLowerCase()}@school.test`;
    await Membership.add({ class_id, email, role: "student" }, teacher);
    await Membership.cancelInvitation({ class_id, email }, teacher);
    expect(await code(Membership.cancelInvitation({ class_id, email }, teacher))).toBe("membership.invitation_not_found");
    const newcomer = { userId: newId(), name: "Late", email };
    expect(await Membership.acceptInvitations(newcomer)).toBe(0);
    expect(await Membership.roleOf(class_id, newcomer.userId)).toBeUndefined();
  });
});

describe("archived classes and the stream policy", () => {
  it("refuses every chat, stream and membership write in an archived class, and still lets members read", async () => {
    const { class_id, teacher, students } = await makeClass();
    const student = students[0]!;
    const sent = await Chat.send({ class_id, content: "before" }, student);
    const post = await Post.create({ class_id, content: "Week 1" }, teacher);
    const comment = await Comment.create({ post_id: post.post_id, content: "ok" }, student);
    await Class.update({ class_id, state: "archived" }, teacher);

    const refused = await Promise.all([
      code(Chat.send({ class_id, content: "after" }, student)),
      code(Chat.edit({ message_id: sent.message_id, content: "changed" }, student)),
      code(Chat.remove({ message_id: sent.message_id }, teacher)),
      code(Chat.react({ message_id: sent.message_id, reaction_type: "like" }, teacher)),
      code(Post.create({ class_id, content: "Week 2" }, teacher)),
      code(Post.edit({ post_id: post.post_id, content: "x" }, teacher)),
      code(Post.pin({ post_id: post.post_id, pinned: true }, teacher)),
      code(Comment.create({ post_id: post.post_id, content: "late" }, student)),
      code(Comment.edit({ comment_id: comment.comment_id, content: "late" }, student)),
      code(Comment.remove({ comment_id: comment.comment_id }, teacher)),
      code(Membership.mute({ class_id, user_id: student.userId, minutes: 5 }, teacher)),
      code(Membership.remove({ class_id, user_id: student.userId }, teacher)),
    ]);
    expect(refused).toEqual(Array(refused.length).fill("class.archived"));
    expect((await Chat.list({ class_id }, student)).messages.map((m) => m.content)).toEqual(["before"]);
    expect((await Post.list({ class_id }, student)).posts.map((p) => p.comment_count)).toEqual([1]);

    await Class.update({ class_id, state: "active" }, teacher);
    expect(await code(Chat.send({ class_id, content: "back" }, student))).toBe("resolved");
  });

  it("keeps announcements for teachers and follows the stream policy for students' posts and comments", async () => {
    const { class_id, teacher, students } = await makeClass();
    const student = students[0]!;
    expect(await code(Post.create({ class_id, content: "Hear ye", kind: "announcement" }, student))).toBe("post.announcement_teacher_only");
    const announcement = await Post.create({ class_id, content: "Test on Friday", kind: "announcement" }, teacher);
    expect(announcement.kind).toBe("announcement");
    expect((await Post.create({ class_id, content: "Study group?" }, student)).kind).toBe("discussion");

    await Class.update({ class_id, stream_policy: "comments_only" }, teacher);
    expect(await code(Post.create({ class_id, content: "Another?" }, student))).toBe("post.students_cannot_post");
    expect(await code(Comment.create({ post_id: announcement.post_id, content: "Which chapters?" }, student))).toBe("resolved");

    await Class.update({ class_id, stream_policy: "teachers_only" }, teacher);
    expect(await code(Comment.create({ post_id: announcement.post_id, content: "And?" }, student))).toBe("comment.students_cannot_comment");
    // The refusal says what this policy allows: no "you can comment" where students cannot.
    const refused = await Post.create({ class_id, content: "Still there?" }, student).then(
      () => undefined,
      (error: Error & { code?: string }) => ({ code: error.code, message: error.message }),
    );
    expect(refused).toEqual({ code: "post.students_cannot_post", message: "In this class only teachers post and comment." });
    expect(await code(Comment.create({ post_id: announcement.post_id, content: "Chapters 1-3" }, teacher))).toBe("resolved");
  });
});
