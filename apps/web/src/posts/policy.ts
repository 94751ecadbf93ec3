/**
 * Who may start a post in a class's stream, as the API decides it: teachers always (an
 * announcement or a discussion); students only when the class's stream policy is
 * `all_members`, and then only discussion posts. Students comment unless the policy is
 * `teachers_only`. Where a student may not post or comment, the stream says so in one line
 * instead of showing a form the API would refuse.
 */
import type { RouterOutputs } from "@classroom/api";

export type StreamPolicy = RouterOutputs["class"]["byId"]["stream_policy"];

export type Posting = { canPost: true; canAnnounce: boolean } | { canPost: false; notice: string };

export function posting(isTeacher: boolean, policy: StreamPolicy): Posting {
  if (isTeacher) return { canPost: true, canAnnounce: true };
  switch (policy) {
    case "all_members":
      return { canPost: true, canAnnounce: false };
    case "comments_only":
      return { canPost: false, notice: "Only teachers start posts in this class; you can comment on theirs." };
    case "teachers_only":
      return { canPost: false, notice: "Only teachers post or comment in this class." };
  }
}

/** Whether someone may comment on the class's posts (teachers always). */
export function mayComment(isTeacher: boolean, policy: StreamPolicy): boolean {
  return isTeacher || policy !== "teachers_only";
}

/** The empty stream's invitation, for who may post and who may only read. */
export function emptyStreamText(isTeacher: boolean, canPost: boolean): string {
  if (isTeacher) return "Share an announcement or a question for the class.";
  if (canPost) return "Start a discussion: ask a question or share something with the class.";
  return "Your teacher's posts will appear here.";
}
