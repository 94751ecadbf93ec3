/**
 * Object-level authorization (threat T2), generated from the route list and the tRPC router:
 * every REST route in `restRoutes` and every procedure of `appRouter` must have a case here
 * (a new route without one fails the first test), and for each, people outside the class
 * (a non-member, a student and a teacher of another class, a removed former member) get the
 * same 404 as for an id that does not exist, and nothing in the class changes. Members get
 * what their role allows: students are refused teacher-only operations with 403.
 */
import { appRouter } from "@classroom/api/root";
import { restRoutes } from "@classroom/api/routes";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeClass, newUser, type Reply, type TestClass, type TestUser } from "../support.ts";
import { restErrorProblem, trpc, trpcErrorProblem } from "./http.ts";
import { domainSnapshot, scanTable } from "./table.ts";

interface Ids {
  class_id: string;
  message_id: string;
  /** A second message of the same student, for the removals (the first one stays for the other cases). */
  spare_message_id: string;
  post_id: string;
  comment_id: string;
  user_id: string;
  /** An email with a pending invitation to the class. */
  email: string;
  /** The `created_at` of the first message (a read marker position). */
  position: string;
  cursor: string;
  assignment_id: string;
  /** The first student's submission of the assignment. */
  submission_id: string;
  /** The code of another class, which anybody may join (so joining is checked like the caller's own things). */
  enrollment_code: string;
  /** A teacher's material, uploaded and completed. */
  file_id: string;
  /** The type of the item in the recommendations' paths (the item is the post). */
  item_type: string;
}

type Who = TestUser;
/** How a student of the class fares: allowed, or refused with 403. */
type StudentRule = "allowed" | 403;

interface RestCase {
  /** Which id fills a generic `{id}` path parameter. */
  id?: "message_id" | "comment_id";
  /** Which id fills a named path parameter, where it is not the id of that name. */
  params?: Partial<Record<string, keyof Ids>>;
  query?: (ids: Ids) => string;
  body?: (ids: Ids, who: Who) => unknown;
  /** "own": not about one class (the caller's own list, a new class); checked separately. */
  scope: "class" | "own";
  student: StudentRule;
}

const restCases: Record<string, RestCase> = {
  listMessages: { scope: "class", student: "allowed", query: (ids) => `?limit=5&lastEvaluatedKey=${ids.cursor}` },
  sendMessage: { scope: "class", student: "allowed", body: (ids) => ({ class_id: ids.class_id, content: "intrusion" }) },
  toggleReaction: { scope: "class", student: "allowed", id: "message_id", body: () => ({ reaction_type: "like" }) },
  deleteComment: { scope: "class", student: 403, id: "comment_id" },
  listMyClasses: { scope: "own", student: "allowed" },
  createClass: { scope: "own", student: "allowed", body: () => ({ name: "Mine" }) },
  getClass: { scope: "class", student: "allowed" },
  listMembers: { scope: "class", student: "allowed" },
  addMember: { scope: "class", student: 403, body: (_, who) => ({ email: who.email, role: "teacher" }) },
  removeMember: { scope: "class", student: 403 },
  listPosts: { scope: "class", student: "allowed" },
  createPost: { scope: "class", student: "allowed", body: () => ({ content: "intrusion" }) },
  listComments: { scope: "class", student: "allowed" },
  createComment: { scope: "class", student: "allowed", body: () => ({ content: "intrusion" }) },
  listAuditEvents: { scope: "class", student: 403 },
  getClassStats: { scope: "class", student: 403 },
  editMessage: { scope: "class", student: "allowed", body: () => ({ content: "edited" }) },
  removeMessage: { scope: "class", student: "allowed", params: { message_id: "spare_message_id" } },
  getPost: { scope: "class", student: "allowed" },
  editPost: { scope: "class", student: 403, body: () => ({ content: "intrusion" }) },
  removePost: { scope: "class", student: 403 },
  lockPost: { scope: "class", student: 403, body: () => ({ locked: true }) },
  pinPost: { scope: "class", student: 403, body: () => ({ pinned: true }) },
  editComment: { scope: "class", student: 403, id: "comment_id", body: () => ({ content: "intrusion" }) },
  setMemberRole: { scope: "class", student: 403, body: () => ({ role: "teacher" }) },
  muteMember: { scope: "class", student: 403, body: () => ({ minutes: 5 }) },
  listInvitations: { scope: "class", student: 403 },
  cancelInvitation: { scope: "class", student: 403 },
  markChatRead: { scope: "class", student: "allowed", body: (ids) => ({ position: ids.position }) },
  listNotifications: { scope: "own", student: "allowed" },
  markNotificationsRead: { scope: "own", student: "allowed", body: () => ({ all: true }) },
  getInboxSummary: { scope: "own", student: "allowed" },
  getNotificationPreferences: { scope: "own", student: "allowed" },
  setNotificationPreferences: { scope: "own", student: "allowed", body: () => ({ disabled_kinds: [], muted_classes: [] }) },
  joinClass: { scope: "own", student: "allowed", body: (ids) => ({ enrollment_code: ids.enrollment_code }) },
  updateClass: { scope: "class", student: 403, body: () => ({ name: "intrusion", state: "archived" }) },
  deleteClass: { scope: "class", student: 403 },
  listAssignments: { scope: "class", student: "allowed", query: () => "?limit=5" },
  createAssignment: { scope: "class", student: 403, body: () => ({ title: "intrusion" }) },
  getAssignment: { scope: "class", student: "allowed" },
  updateAssignment: { scope: "class", student: 403, body: () => ({ title: "intrusion", max_points: 1 }) },
  deleteAssignment: { scope: "class", student: 403 },
  listSubmissions: { scope: "class", student: "allowed" },
  turnIn: { scope: "class", student: "allowed", body: () => ({ text: "my work" }) },
  reclaimSubmission: { scope: "class", student: "allowed" },
  gradeSubmission: { scope: "class", student: 403, body: () => ({ assigned_grade: 100 }) },
  returnSubmission: { scope: "class", student: 403 },
  getGradebook: { scope: "class", student: 403, query: () => "?format=csv" },
  getRanking: { scope: "class", student: 403, query: () => "?limit=5" },
  getTopPerformers: { scope: "class", student: 403 },
  getStanding: { scope: "class", student: "allowed" },
  createFile: { scope: "class", student: "allowed", body: (ids) => ({ class_id: ids.class_id, purpose: "submission", filename: "intrusion.pdf", content_type: "application/pdf", size: 10 }) },
  completeFile: { scope: "class", student: 403 },
  downloadFile: { scope: "class", student: "allowed" },
  similarItems: { scope: "class", student: "allowed", params: { item_id: "post_id" }, query: () => "?limit=3" },
  listRecommendations: { scope: "class", student: "allowed", query: () => "?limit=3" },
  recordInteraction: { scope: "class", student: "allowed", body: (ids) => ({ item_type: "post", item_id: ids.post_id }) },
};

interface TrpcCase {
  input?: (ids: Ids, who: Who) => unknown;
  scope: "class" | "own";
  student: StudentRule;
}

const trpcCases: Record<string, TrpcCase> = {
  me: { scope: "own", student: "allowed" },
  "class.mine": { scope: "own", student: "allowed" },
  "class.byId": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "class.create": { scope: "own", student: "allowed", input: () => ({ name: "Mine" }) },
  "member.list": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "member.add": { scope: "class", student: 403, input: (ids, who) => ({ class_id: ids.class_id, email: who.email, role: "teacher" }) },
  "member.remove": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, user_id: ids.user_id }) },
  "chat.list": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, cursor: ids.cursor }) },
  "chat.poll": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, cursor: ids.cursor }) },
  "chat.send": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, content: "intrusion" }) },
  "chat.react": { scope: "class", student: "allowed", input: (ids) => ({ message_id: ids.message_id, reaction_type: "heart" }) },
  "post.list": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "post.byId": { scope: "class", student: "allowed", input: (ids) => ({ post_id: ids.post_id }) },
  "post.create": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, content: "intrusion" }) },
  "comment.list": { scope: "class", student: "allowed", input: (ids) => ({ post_id: ids.post_id }) },
  "comment.create": { scope: "class", student: "allowed", input: (ids) => ({ post_id: ids.post_id, content: "intrusion" }) },
  "comment.remove": { scope: "class", student: 403, input: (ids) => ({ comment_id: ids.comment_id }) },
  "audit.list": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "audit.stats": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "chat.edit": { scope: "class", student: "allowed", input: (ids) => ({ message_id: ids.message_id, content: "edited" }) },
  "chat.remove": { scope: "class", student: "allowed", input: (ids) => ({ message_id: ids.spare_message_id }) },
  "post.edit": { scope: "class", student: 403, input: (ids) => ({ post_id: ids.post_id, content: "intrusion" }) },
  "post.remove": { scope: "class", student: 403, input: (ids) => ({ post_id: ids.post_id }) },
  "post.lock": { scope: "class", student: 403, input: (ids) => ({ post_id: ids.post_id, locked: true }) },
  "post.pin": { scope: "class", student: 403, input: (ids) => ({ post_id: ids.post_id, pinned: true }) },
  "comment.edit": { scope: "class", student: 403, input: (ids) => ({ comment_id: ids.comment_id, content: "intrusion" }) },
  "member.setRole": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, user_id: ids.user_id, role: "teacher" }) },
  "member.mute": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, user_id: ids.user_id, minutes: 5 }) },
  "member.invitations": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "member.cancelInvitation": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, email: ids.email }) },
  "chat.markRead": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, position: ids.position }) },
  "notification.list": { scope: "own", student: "allowed", input: () => ({}) },
  "notification.summary": { scope: "own", student: "allowed" },
  "notification.markRead": { scope: "own", student: "allowed", input: () => ({ all: true }) },
  "notification.preferences": { scope: "own", student: "allowed" },
  "notification.setPreferences": { scope: "own", student: "allowed", input: () => ({ disabled_kinds: [], muted_classes: [] }) },
  "class.join": { scope: "own", student: "allowed", input: (ids) => ({ enrollment_code: ids.enrollment_code }) },
  "class.update": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, reset_code: true }) },
  "class.remove": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "assignment.list": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "assignment.byId": { scope: "class", student: "allowed", input: (ids) => ({ assignment_id: ids.assignment_id }) },
  "assignment.create": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, title: "intrusion" }) },
  "assignment.update": { scope: "class", student: 403, input: (ids) => ({ assignment_id: ids.assignment_id, state: "draft" }) },
  "assignment.remove": { scope: "class", student: 403, input: (ids) => ({ assignment_id: ids.assignment_id }) },
  "submission.list": { scope: "class", student: "allowed", input: (ids) => ({ assignment_id: ids.assignment_id }) },
  "submission.turnIn": { scope: "class", student: "allowed", input: (ids) => ({ assignment_id: ids.assignment_id }) },
  "submission.reclaim": { scope: "class", student: "allowed", input: (ids) => ({ assignment_id: ids.assignment_id }) },
  "submission.grade": { scope: "class", student: 403, input: (ids) => ({ submission_id: ids.submission_id, draft_grade: 100 }) },
  "submission.return": { scope: "class", student: 403, input: (ids) => ({ submission_id: ids.submission_id }) },
  "gradebook.get": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "gradebook.csv": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "standing.ranking": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id, limit: 5 }) },
  "standing.topPerformers": { scope: "class", student: 403, input: (ids) => ({ class_id: ids.class_id }) },
  "standing.get": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "file.create": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id, purpose: "submission", filename: "intrusion.pdf", content_type: "application/pdf", size: 10 }) },
  "file.complete": { scope: "class", student: 403, input: (ids) => ({ file_id: ids.file_id }) },
  "file.download": { scope: "class", student: "allowed", input: (ids) => ({ file_id: ids.file_id }) },
  "recommendation.similar": { scope: "class", student: "allowed", input: (ids) => ({ item_type: "post", item_id: ids.post_id }) },
  "recommendation.forClass": { scope: "class", student: "allowed", input: (ids) => ({ class_id: ids.class_id }) },
  "recommendation.record": { scope: "class", student: "allowed", input: (ids) => ({ item_type: "post", item_id: ids.post_id }) },
};

const allAuthedRoutes = restRoutes.filter((route) => route.auth);
const allProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>)
  .filter(([path]) => path !== "health")
  .map(([path, procedure]) => ({ path, type: procedure._def.type }));
// The matrix runs over the routes that have a case; the first test fails for any without one.
const authedRoutes = allAuthedRoutes.filter((route) => route.operation in restCases);
const procedures = allProcedures.filter((procedure) => procedure.path in trpcCases);

function restRequest(route: (typeof authedRoutes)[number], ids: Ids, who: Who) {
  const spec = restCases[route.operation]!;
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const key = name === "id" ? spec.id! : (spec.params?.[name] ?? (name as keyof Ids));
    return encodeURIComponent(ids[key]);
  });
  const body = spec.body?.(ids, who);
  return { method: route.method, path: `${path}${spec.query?.(ids) ?? ""}`, body };
}

/**
 * Sends, waiting out the per-user write limit: each person here makes more writes in a row than
 * the limit allows in its window, and being throttled is not what this suite is about.
 */
async function unthrottled(send: () => Promise<Reply>): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await send();
    if (reply.status !== 429 || attempt >= 3) return reply;
    await new Promise((resolve) => setTimeout(resolve, Number(reply.headers.get("retry-after") ?? 1) * 1000));
  }
}

async function sendRest(route: (typeof authedRoutes)[number], ids: Ids, who: Who): Promise<Reply> {
  const request = restRequest(route, ids, who);
  return unthrottled(() => call(request.method, request.path, { token: who.token, ...(request.body !== undefined ? { body: request.body } : {}) }));
}

async function sendTrpc(procedure: (typeof procedures)[number], ids: Ids, who: Who): Promise<Reply> {
  return unthrottled(() => trpc(procedure.type, procedure.path, trpcCases[procedure.path]!.input?.(ids, who), { token: who.token }));
}

/** The ids of a class that does not exist (fresh ULID-shaped ids), with a cursor for it. */
async function unknownIds(cursorFor: TestUser): Promise<Ids> {
  const fake = () => `01K${randomUUID().replace(/-/g, "").slice(0, 23).toUpperCase()}`;
  // A well-formed cursor of the outsider's own class: valid signature, wrong scope.
  const own = await trpc("query", "chat.list", { class_id: (await ownClass(cursorFor)) }, { token: cursorFor.token });
  return {
    class_id: fake(),
    message_id: fake(),
    spare_message_id: fake(),
    post_id: fake(),
    comment_id: fake(),
    user_id: fake(),
    email: `${fake().toLowerCase()}@school.test`,
    position: new Date().toISOString(),
    cursor: own.body.result.data.json.newer,
    assignment_id: fake(),
    submission_id: `${fake()}_${fake()}`,
    enrollment_code: ids.enrollment_code,
    file_id: fake(),
    item_type: "post",
  };
}

const ownClasses = new Map<string, string>();
async function ownClass(who: TestUser): Promise<string> {
  let id = ownClasses.get(who.sub);
  if (!id) {
    id = (await call("POST", "/classes", { token: who.token, body: { name: "Own" } })).body.class_id as string;
    ownClasses.set(who.sub, id);
  }
  return id;
}

let home: TestClass;
let ids: Ids;
let outsiders: Array<[string, TestUser]>;

beforeAll(async () => {
  home = await makeClass(3);
  const away = await makeClass(1);
  const nobody = await newUser();
  await call("GET", "/classes", { token: nobody.token });
  const [student, author, former] = home.students as [TestUser, TestUser, TestUser];
  const message = await call("POST", "/chat/messages", { token: student.token, body: { class_id: home.class_id, content: "home only" } });
  const spare = await call("POST", "/chat/messages", { token: student.token, body: { class_id: home.class_id, content: "to be removed" } });
  const invited = `${randomUUID()}@school.test`;
  await call("POST", `/classes/${home.class_id}/members`, { token: home.teacher.token, body: { email: invited, role: "student" } });
  const post = await call("POST", `/classes/${home.class_id}/posts`, { token: home.teacher.token, body: { content: "home post" } });
  const comment = await call("POST", `/posts/${post.body.post_id}/comments`, { token: author.token, body: { content: "home comment" } });
  const listed = await trpc("query", "chat.list", { class_id: home.class_id, limit: 1, direction: "backward" }, { token: home.teacher.token });
  const assignment = await call("POST", `/classes/${home.class_id}/assignments`, { token: home.teacher.token, body: { title: "Home work" } });
  const lobby = await makeClass(0);
  const handout = Buffer.from("%PDF handout");
  const file = await call("POST", "/files", {
    token: home.teacher.token,
    body: { class_id: home.class_id, purpose: "material", filename: "handout.pdf", content_type: "application/pdf", size: handout.length },
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(file.body.upload.fields as Record<string, string>)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(handout)], { type: "application/pdf" }));
  expect((await fetch(file.body.upload.url, { method: "POST", body: form })).status).toBe(204);
  expect((await call("POST", `/files/${file.body.file_id}/complete`, { token: home.teacher.token })).status).toBe(200);
  const lobbyCode = (await call("GET", `/classes/${lobby.class_id}`, { token: lobby.teacher.token })).body.enrollment_code;
  ids = {
    class_id: home.class_id,
    message_id: message.body.message_id,
    spare_message_id: spare.body.message_id,
    post_id: post.body.post_id,
    comment_id: comment.body.comment_id,
    user_id: author.sub,
    email: invited,
    position: message.body.created_at,
    cursor: listed.body.result.data.json.newer,
    assignment_id: assignment.body.assignment_id,
    submission_id: `${assignment.body.assignment_id}_${student.sub}`,
    enrollment_code: lobbyCode,
    file_id: file.body.file_id,
    item_type: "post",
  };
  expect(Object.values(ids).every(Boolean)).toBe(true);
  // A former member: was in the class, then removed by the teacher.
  expect((await call("DELETE", `/classes/${home.class_id}/members/${former.sub}`, { token: home.teacher.token })).status).toBe(200);
  outsiders = [
    ["non-member", nobody],
    ["student of another class", away.students[0]!],
    ["teacher of another class", away.teacher],
    ["removed former member", former],
  ];
});

describe("object-level authorization", () => {
  it("has a case for every REST route and every tRPC procedure", () => {
    expect(allAuthedRoutes.map((r) => r.operation).sort()).toEqual(Object.keys(restCases).sort());
    expect(allProcedures.map((p) => p.path).sort()).toEqual(Object.keys(trpcCases).sort());
    expect(allAuthedRoutes.length).toBeGreaterThanOrEqual(16);
    expect(allProcedures.length).toBeGreaterThanOrEqual(18);
  });

  it("answers people outside the class exactly as for ids that do not exist, and changes nothing", { timeout: 240_000 }, async () => {
    const before = domainSnapshot(await scanTable(), new Set([home.class_id]));
    let checked = 0;
    for (const [label, who] of outsiders) {
      const unknown = await unknownIds(who);
      for (const route of authedRoutes) {
        const where = `${label}: ${route.method} ${route.path}`;
        const reply = await sendRest(route, ids, who);
        if (restCases[route.operation]!.scope === "own") {
          expect(reply.status, where).toBeLessThan(300);
          expect(JSON.stringify(reply.body), where).not.toContain(home.class_id);
          continue;
        }
        expect(reply.status, `${where} ${JSON.stringify(reply.body)}`).toBe(404);
        expect(restErrorProblem(reply), where).toBeUndefined();
        const nothing = await sendRest(route, unknown, who);
        expect(reply.body, `${where}: differs from an unknown id`).toEqual(nothing.body);
        checked++;
      }
      for (const procedure of procedures) {
        const where = `${label}: tRPC ${procedure.path}`;
        const reply = await sendTrpc(procedure, ids, who);
        if (trpcCases[procedure.path]!.scope === "own") {
          expect(reply.status, where).toBe(200);
          expect(JSON.stringify(reply.body), where).not.toContain(home.class_id);
          continue;
        }
        expect(reply.status, `${where} ${JSON.stringify(reply.body)}`).toBe(404);
        expect(trpcErrorProblem(reply), where).toBeUndefined();
        const nothing = await sendTrpc(procedure, unknown, who);
        expect(reply.body.error.json.message, where).toBe(nothing.body.error.json.message);
        expect(reply.body.error.json.data.appCode, where).toBe(nothing.body.error.json.data.appCode);
        checked++;
      }
    }
    const classScoped = [...authedRoutes.map((r) => restCases[r.operation]!), ...procedures.map((p) => trpcCases[p.path]!)].filter((c) => c.scope === "class");
    expect(checked).toBe(outsiders.length * classScoped.length);
    expect(domainSnapshot(await scanTable(), new Set([home.class_id]))).toEqual(before);
  });

  it("refuses students the teacher-only operations with 403 and nothing changed, and allows the rest", async () => {
    const student = home.students[0]!;
    const stranger = await newUser();
    await call("GET", "/classes", { token: stranger.token });
    const refusedRest = authedRoutes.filter((r) => restCases[r.operation]!.student === 403);
    const refusedTrpc = procedures.filter((p) => trpcCases[p.path]!.student === 403);
    const before = domainSnapshot(await scanTable(), new Set([home.class_id]));
    for (const route of refusedRest) {
      const reply = await sendRest(route, ids, { ...student, email: stranger.email });
      expect(reply.status, `${route.method} ${route.path} ${JSON.stringify(reply.body)}`).toBe(403);
      expect(restErrorProblem(reply)).toBeUndefined();
    }
    for (const procedure of refusedTrpc) {
      const reply = await sendTrpc(procedure, ids, { ...student, email: stranger.email });
      expect(reply.status, `tRPC ${procedure.path} ${JSON.stringify(reply.body)}`).toBe(403);
      expect(trpcErrorProblem(reply)).toBeUndefined();
    }
    expect(domainSnapshot(await scanTable(), new Set([home.class_id]))).toEqual(before);
    // A student may do everything else.
    for (const route of authedRoutes.filter((r) => restCases[r.operation]!.student === "allowed")) {
      const reply = await sendRest(route, ids, student);
      expect(reply.status, `${route.method} ${route.path} ${JSON.stringify(reply.body)}`).toBeLessThan(300);
    }
    for (const procedure of procedures.filter((p) => trpcCases[p.path]!.student === "allowed")) {
      const reply = await sendTrpc(procedure, ids, student);
      expect(reply.status, `tRPC ${procedure.path} ${JSON.stringify(reply.body)}`).toBe(200);
    }
  });
});
