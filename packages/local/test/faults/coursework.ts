/** Coursework, files and notifications over real HTTP for the fault suites (answers checked by the caller). */
import { type Answer, type FaultStack, type Person, request } from "./fault-stack.ts";

export const submissionId = (assignment_id: string, student: Person) => `${assignment_id}_${student.sub}`;

/** A published assignment worth `max_points`. */
export async function publishedAssignment(stack: FaultStack, class_id: string, teacher: Person, max_points = 100): Promise<string> {
  const created = await request(stack, "POST", `/classes/${class_id}/assignments`, teacher.token, { title: `Work ${Date.now()}`, max_points, state: "published" });
  if (created.status !== 201) throw new Error(`assignment not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.assignment_id as string;
}

export const turnIn = (stack: FaultStack, assignment_id: string, student: Person) =>
  request(stack, "POST", `/assignments/${assignment_id}/turn-in`, student.token, { text: "my work" });

export const grade = (stack: FaultStack, assignment_id: string, student: Person, teacher: Person, draft_grade: number) =>
  request(stack, "PUT", `/submissions/${submissionId(assignment_id, student)}/grade`, teacher.token, { draft_grade });

export const giveBack = (stack: FaultStack, assignment_id: string, student: Person, teacher: Person, deadlineMs?: number) =>
  request(stack, "POST", `/submissions/${submissionId(assignment_id, student)}/return`, teacher.token, undefined, deadlineMs);

export interface Shown {
  notification_id: string;
  kind: string;
  class_id: string;
  title: string;
  target: { type: string; id: string };
  read: boolean;
}

/** Every notification of a person (all pages), newest first, and their unread counter. */
export async function notificationsOf(stack: FaultStack, who: Person): Promise<{ notifications: Shown[]; unread: number }> {
  const notifications: Shown[] = [];
  let cursor: string | undefined;
  let unread = 0;
  for (let page = 0; page < 100; page++) {
    const answer = await request(stack, "GET", `/notifications?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, who.token);
    if (answer.status !== 200) throw new Error(`notifications: ${answer.status} ${JSON.stringify(answer.body)}`);
    notifications.push(...answer.body.notifications);
    unread = answer.body.unread;
    cursor = answer.body.cursor ?? undefined;
    if (!cursor) break;
  }
  return { notifications, unread };
}

export const PDF = "application/pdf";

/** Sends the upload form straight to S3, as a browser does; the status S3 answered (0: unreachable). */
export async function sendForm(upload: { url: string; fields: Record<string, string> }, bytes: Buffer): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: upload.fields["Content-Type"] }), "upload.bin");
  try {
    const response = await fetch(upload.url, { method: "POST", body: form, signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export const createFile = (stack: FaultStack, who: Person, body: { class_id: string; purpose: string; size: number; filename?: string }, deadlineMs?: number): Promise<Answer> =>
  request(stack, "POST", "/files", who.token, { filename: "work.pdf", content_type: PDF, ...body }, deadlineMs);

export const completeFile = (stack: FaultStack, who: Person, file_id: string, deadlineMs?: number) =>
  request(stack, "POST", `/files/${file_id}/complete`, who.token, undefined, deadlineMs);
