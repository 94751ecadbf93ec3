/**
 * Input fuzzing (threat T4) with fast-check over every REST route and every tRPC procedure:
 * random and half-valid bodies, query strings, path ids, cursors, unicode, very long strings,
 * wrong methods, broken envelopes and batches, sent by members, outsiders and nobody.
 *
 * Properties: never a 5xx; every REST error is exactly `{ error: { code, message } }` and every
 * REST success matches the operation's documented response schema; every tRPC error has the
 * formatter's shape with the app code; no internal detail in any message. Afterwards the table
 * keeps every invariant, and it holds exactly the messages, classes, posts and comments whose
 * creation was acknowledged (bad input stored nothing).
 *
 * Each fast-check run is a batch of BATCH requests sent at once (bounded concurrency), so the
 * total is RUNS * BATCH per transport. FUZZ_SEED reproduces a run; FUZZ_RUNS scales it.
 */
import { appRouter } from "@classroom/api/root";
import { operations } from "@classroom/api/rest/operations";
import { restRoutes } from "@classroom/api/routes";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeClass, newUser, type Reply, type TestClass, type TestUser } from "../support.ts";
import { restErrorProblem, trpc, trpcErrorProblem } from "./http.ts";
import { byEntity, invariantViolations, scanTable, type Item } from "./table.ts";

const BATCH = 12;
const RUNS = Number(process.env.FUZZ_RUNS ?? 425);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let classA: TestClass;
let classB: TestClass;
let users: TestUser[];
let known: {
  classIds: string[]; messageIds: string[]; postIds: string[]; commentIds: string[]; userIds: string[]; emails: string[]; cursors: string[];
  assignmentIds: string[]; submissionIds: string[]; codes: string[];
};
let before: Item[];
const acknowledged = { message: new Set<string>(), class: new Set<string>(), post: new Set<string>(), comment: new Set<string>(), assignment: new Set<string>() };
let sent = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  classA = await makeClass(3);
  classB = await makeClass(1);
  const outsider = await newUser();
  await call("GET", "/classes", { token: outsider.token });
  users = [classA.teacher, ...classA.students, classB.teacher, ...classB.students, outsider];
  const messages = [];
  for (const who of [classA.teacher, classA.students[0]!, classB.students[0]!]) {
    const class_id = who === classB.students[0] ? classB.class_id : classA.class_id;
    messages.push((await call("POST", "/chat/messages", { token: who.token, body: { class_id, content: "seed" } })).body.message_id);
  }
  const post = (await call("POST", `/classes/${classA.class_id}/posts`, { token: classA.teacher.token, body: { content: "seed post" } })).body.post_id;
  const postB = (await call("POST", `/classes/${classB.class_id}/posts`, { token: classB.teacher.token, body: { content: "seed post" } })).body.post_id;
  const comments = [];
  for (const who of [classA.teacher, classA.students[1]!]) {
    comments.push((await call("POST", `/posts/${post}/comments`, { token: who.token, body: { content: "seed comment" } })).body.comment_id);
  }
  const chat = await trpc("query", "chat.list", { class_id: classA.class_id, limit: 1 }, { token: classA.teacher.token });
  const posts = await call("GET", `/classes/${classA.class_id}/posts?limit=1`, { token: classA.teacher.token });
  const newer: string = chat.body.result.data.json.newer;
  const work = (await call("POST", `/classes/${classA.class_id}/assignments`, { token: classA.teacher.token, body: { title: "seed work", max_points: 10 } })).body.assignment_id;
  const workB = (await call("POST", `/classes/${classB.class_id}/assignments`, { token: classB.teacher.token, body: { title: "seed work", due_at: "2030-01-01T00:00:00Z" } })).body.assignment_id;
  await call("POST", `/assignments/${work}/turn-in`, { token: classA.students[0]!.token, body: { text: "seed" } });
  const codeA = (await call("GET", `/classes/${classA.class_id}`, { token: classA.teacher.token })).body.enrollment_code;
  known = {
    classIds: [classA.class_id, classB.class_id],
    messageIds: messages,
    postIds: [post, postB],
    commentIds: comments,
    userIds: users.map((u) => u.sub),
    emails: users.map((u) => u.email),
    cursors: [newer, posts.body.cursor ?? newer, `${newer.slice(0, -1)}${newer.endsWith("A") ? "B" : "A"}`, newer.split(".")[0]!, `${newer}.x`],
    assignmentIds: [work, workB],
    submissionIds: [...classA.students.map((s) => `${work}_${s.sub}`), `${workB}_${classB.students[0]!.sub}`, `${work}_${classA.teacher.sub}`],
    codes: [codeA, "ABCDEFG", codeA.toLowerCase(), "O0I1L"],
  };
  before = await scanTable();
}, 120_000);

// ---- arbitraries -------------------------------------------------------------------------

const nasty = fc.constantFrom(
  "", " ", "\t\n", "..", "../..", "%", "%2F", "%E0%A4%A", "%00", "\u0000", "null", "undefined", "NaN", "-1", "0", "1e309",
  "__proto__", "constructor", "prototype", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "\u202Egnp.exe",
  "\uD800", "\uDFFF", "👩‍👩‍👧‍👦", "Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍", "a".repeat(65), "é".repeat(2001), "x".repeat(5001), "🙂".repeat(1001),
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9000 }).map((n) => "w".repeat(n)) },
);
const someId = () => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...known.classIds, ...known.messageIds, ...known.postIds, ...known.commentIds, ...known.userIds, ...known.assignmentIds, ...known.submissionIds) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/) },
  { weight: 2, arbitrary: text },
);
const numberish = fc.oneof(
  fc.integer({ min: -5, max: 120 }),
  fc.constantFrom(0, -1, 101, 1e9, 2 ** 53, -0, 0.5, 1e-9),
  fc.double(),
  fc.constantFrom("10", "1e3", "0x10", " 5 ", "", "abc", "Infinity", "-0", "50.0"),
);
const anyValue = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: numberish },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const cursor = () => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known.cursors) }, { weight: 1, arbitrary: text });
const timestamp = fc.oneof(
  fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2026-02-30T00:00:00Z", "2026-01-01T00:00:00+14:00", "2026-01-01", "yesterday", "+275760-09-13T00:00:00.000Z"),
);

/** Values that are plausible for a field (so requests get past validation) or anything at all. */
function field(name: string): fc.Arbitrary<unknown> {
  const plausible: Record<string, () => fc.Arbitrary<unknown>> = {
    class_id: () => fc.constantFrom(...known.classIds),
    message_id: () => fc.oneof(fc.constantFrom(...known.messageIds), fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/)),
    post_id: () => fc.constantFrom(...known.postIds),
    comment_id: () => fc.constantFrom(...known.commentIds),
    user_id: () => fc.constantFrom(...known.userIds),
    email: () => fc.oneof(fc.constantFrom(...known.emails), fc.emailAddress()),
    role: () => fc.constantFrom("teacher", "student", "admin"),
    content: () => text,
    name: () => text,
    reaction_type: () => fc.constantFrom("like", "heart", "LIKE", "angry"),
    limit: () => numberish,
    days: () => numberish,
    direction: () => fc.constantFrom("forward", "backward", "sideways"),
    cursor,
    lastEvaluatedKey: cursor,
    after_timestamp: () => timestamp,
    lastMessageTimestamp: () => timestamp,
    assignment_id: () => fc.constantFrom(...known.assignmentIds),
    submission_id: () => fc.constantFrom(...known.submissionIds),
    enrollment_code: () => fc.constantFrom(...known.codes),
    title: () => text,
    description: () => fc.oneof(text, fc.constant(null)),
    section: () => fc.oneof(text, fc.constant(null)),
    room: () => fc.oneof(text, fc.constant(null)),
    text: () => text,
    due_at: () => fc.oneof(timestamp, fc.constant(null)),
    max_points: () => fc.oneof(numberish, fc.constant(null)),
    draft_grade: () => fc.oneof(numberish, fc.constant(null)),
    assigned_grade: () => fc.oneof(numberish, fc.constant(null)),
    state: () => fc.constantFrom("draft", "published", "active", "archived", "deleted"),
    stream_policy: () => fc.constantFrom("all_members", "comments_only", "teachers_only", "nobody"),
    reset_code: () => fc.constantFrom(true, false, "yes"),
    format: () => fc.constantFrom("csv", "json", "xml"),
  };
  return fc.oneof({ weight: 3, arbitrary: (plausible[name] ?? (() => anyValue))() }, { weight: 1, arbitrary: anyValue });
}

const FIELDS = [
  "class_id", "message_id", "post_id", "comment_id", "user_id", "email", "role", "content", "name", "reaction_type", "limit", "days", "direction", "cursor", "after_timestamp",
  "assignment_id", "submission_id", "enrollment_code", "max_points", "due_at", "state", "draft_grade", "assigned_grade",
];
const objectOf = (names: string[]) =>
  fc.tuple(
    fc.subarray(names).chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, field(k)])))),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "like_count", "author_id", "status")), anyValue, { maxKeys: 2 }),
  ).map(([known, extra]) => ({ ...extra, ...known }));
/** Mostly objects with the fields the schema names (each plausible or not), sometimes anything. */
const input = (own: string[] = []) =>
  fc.oneof(
    ...(own.length
      ? [{ weight: 5, arbitrary: fc.tuple(fc.record(Object.fromEntries(own.map((k) => [k, field(k)]))), objectOf([])).map(([value, extra]) => ({ ...extra, ...value })) }]
      : []),
    { weight: 2, arbitrary: objectOf([...new Set([...own, ...FIELDS])]) },
    { weight: 1, arbitrary: anyValue },
  );

/** The field names of a zod object schema (so the fuzzer follows the schemas as they change). */
const fieldsOf = (schema: unknown): string[] => Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

/** Who sends it: a user by index (the token is looked up when sending, to keep counterexamples short), or a bad token. */
const token = () => fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: users.length - 1 }).map((i) => `user:${i}`) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, "garbage", "tampered") },
);
const tokenOf = (who: string | undefined) =>
  who?.startsWith("user:") ? users[Number(who.slice(5))]!.token : who === "tampered" ? `${users[0]!.token.slice(0, -4)}AAAA` : who;

interface Sent {
  label: string;
  method: string;
  path: string;
  token?: string | undefined;
  rawBody?: string;
}

/** Any generated value as a query string value (objects without a prototype have no String()). */
const asQueryValue = (value: unknown): string => {
  if (typeof value !== "object" || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return "[object]";
  }
};

const REST_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
const restRequest = (): fc.Arbitrary<Sent & { operation: string }> =>
  fc.constantFrom(...restRoutes).chain((route) => {
    const operation = operations[route.operation as keyof typeof operations] as { body?: unknown; query?: unknown } | undefined;
    const queryFields = fieldsOf(operation?.query);
    return fc.record({
    route: fc.constant(route),
    wrongMethod: fc.oneof({ weight: 11, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...REST_METHODS) }),
    params: fc.record({ class_id: someId(), id: someId(), post_id: someId(), user_id: someId(), assignment_id: someId(), submission_id: someId() }),
    rawParams: fc.boolean(),
    query: fc.oneof(objectOf(queryFields.length ? queryFields : ["limit", "cursor", "lastEvaluatedKey", "lastMessageTimestamp", "days"]), fc.constant({})),
    rawQuery: fc.oneof(
      { weight: 14, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom("?%%%", "?limit=1&limit=2", "?lastEvaluatedKey[]=x", "?&&=&", "?limit", "?limit=%00") },
    ),
    body: fc.oneof(
      { weight: 8, arbitrary: input(fieldsOf(operation?.body)).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.oneof(text, fc.constantFrom("", "null", "[]", "1", '"s"', "{", '{"a":', "\uFEFF{}")) },
      { weight: 1, arbitrary: fc.constantFrom(JSON.stringify({ content: "x".repeat(70_000) }), `[${"[".repeat(5000)}${"]".repeat(5000)}]`) },
    ),
    token: token(),
  });
  }).map(({ route, wrongMethod, params, rawParams, query, rawQuery, body, token }) => {
    const method = wrongMethod ?? route.method;
    const encode = (value: string) => (rawParams ? value.replace(/[/?#]/g, (c) => encodeURIComponent(c)) : encodeURIComponent(Buffer.from(value).toString()));
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(String(params[name as keyof typeof params])));
    const search = rawQuery ?? (Object.keys(query).length ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, asQueryValue(v)]))}` : "");
    // A wrong method may land on another route of the same path.
    const served = restRoutes.find((r) => r.path === route.path && r.method === method);
    return {
      label: `${method} ${route.path}`,
      operation: served?.operation ?? "none",
      method,
      path: `${path}${search}`,
      token,
      ...(method !== "GET" && method !== "DELETE" ? { rawBody: body } : {}),
    };
  });

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation"; inputs: unknown[] } }>).map(
  ([path, p]) => ({ path, type: p._def.type, fields: fieldsOf(p._def.inputs[0]) }),
);
const envelope = (fields: string[]) => fc.oneof(
  { weight: 8, arbitrary: input(fields).map((value) => JSON.stringify({ json: value })) },
  { weight: 1, arbitrary: input(fields).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constantFrom(
    '{"json":{"class_id":"x"},"meta":{"values":{"__proto__.polluted":["undefined"]}}}',
    '{"json":{"limit":"1"},"meta":{"values":{"limit":["bigint"]}}}',
    '{"json":{"after_timestamp":"x"},"meta":{"values":{"after_timestamp":["Date"]}}}',
    '{"json":1,"meta":{"values":["set"]}}',
    "{", "", "null", '{"json":', "[]",
  ) },
);
const trpcRequest = (): fc.Arbitrary<Sent> =>
  fc.record({
    procedures: fc.array(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...procedures) }, { weight: 1, arbitrary: fc.constantFrom({ path: "chat.nope", type: "query" as const, fields: [] as string[] }, { path: "__proto__", type: "query" as const, fields: [] as string[] }, { path: "chat", type: "mutation" as const, fields: [] as string[] }) }), { minLength: 1, maxLength: 3 }),
    batch: fc.boolean(),
    flipMethod: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    token: token(),
  }).chain((picked) => fc.tuple(...picked.procedures.map((p) => envelope(p.fields))).map((inputs) => ({ ...picked, inputs })))
  .map(({ procedures: chosen, batch, flipMethod, inputs, token }) => {
    // A batch holds either queries (GET) or mutations (POST), as the client sends them.
    const list = batch ? chosen.filter((p) => p.type === chosen[0]!.type) : chosen.slice(0, 1);
    let method = list.some((p) => p.type === "mutation") ? "POST" : "GET";
    if (flipMethod) method = method === "GET" ? "POST" : "GET";
    const paths = list.map((p) => encodeURIComponent(p.path)).join(",");
    const payload = batch ? `{${list.map((_, i) => `"${i}":${inputs[i] || "null"}`).join(",")}}` : inputs[0]!;
    const query = batch ? "?batch=1" : "";
    return method === "GET"
      ? { label: `GET tRPC ${paths}`, method, path: `/trpc/${paths}${query}${query ? "&" : "?"}input=${encodeURIComponent(payload)}`, token }
      : { label: `POST tRPC ${paths}`, method, path: `/trpc/${paths}${query}`, token, rawBody: payload };
  });

// ---- checks -------------------------------------------------------------------------------

const CREATED: Record<string, [keyof typeof acknowledged, string]> = {
  sendMessage: ["message", "message_id"], createClass: ["class", "class_id"], createPost: ["post", "post_id"], createComment: ["comment", "comment_id"],
  "chat.send": ["message", "message_id"], "class.create": ["class", "class_id"], "post.create": ["post", "post_id"], "comment.create": ["comment", "comment_id"],
  createAssignment: ["assignment", "assignment_id"], "assignment.create": ["assignment", "assignment_id"],
};

async function send(request: Sent): Promise<Reply> {
  sent++;
  const token = tokenOf(request.token);
  return call(request.method, request.path, { ...(token ? { token } : {}), ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}) });
}

function restProblem(request: Sent & { operation: string }, reply: Reply): string | undefined {
  if (reply.status >= 500) return `status ${reply.status}`;
  if (reply.status === 431) return undefined; // Node's own header limit, no body
  if (reply.status >= 400) return restErrorProblem(reply);
  const operation = operations[request.operation as keyof typeof operations];
  if (operation && reply.headers.get("content-type")?.startsWith("text/csv")) {
    // A CSV export (its byte order mark is consumed by the text decoding): a header line at least.
    return typeof reply.body === "string" && reply.body.startsWith("Student,") && reply.body.includes("\r\n") ? undefined : "not the gradebook's CSV";
  }
  if (operation && request.method !== "OPTIONS") {
    const parsed = operation.response.safeParse(reply.body);
    if (!parsed.success) return `response does not match its schema: ${parsed.error.issues[0]?.message}`;
    const created = CREATED[request.operation];
    if (created) acknowledged[created[0]].add(String((reply.body as Record<string, unknown>)[created[1]]));
  }
  return undefined;
}

function trpcProblem(request: Sent, reply: Reply): string | undefined {
  if (reply.status >= 500) return `status ${reply.status}`;
  if (reply.status === 431 || reply.status === 413) return undefined;
  const paths = decodeURIComponent(request.path.slice(6).split("?")[0]!).split(",");
  const items: any[] = Array.isArray(reply.body) ? reply.body : [reply.body];
  for (const [i, item] of items.entries()) {
    if (item?.error) {
      const problem = trpcErrorProblem(reply, item);
      if (problem) return problem;
      if (item.error.json.data.httpStatus >= 500) return `item status ${item.error.json.data.httpStatus}`;
    } else if (item?.result) {
      const created = CREATED[paths[i] ?? ""];
      if (created) acknowledged[created[0]].add(String(item.result.data.json[created[1]]));
    } else {
      return `neither result nor error: ${JSON.stringify(item)?.slice(0, 200)}`;
    }
  }
  return undefined;
}

async function runBatch<T extends Sent>(requests: T[], check: (request: T, reply: Reply) => string | undefined) {
  const replies = await Promise.all(requests.map(send));
  for (const reply of replies) statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
  requests.forEach((request, i) => {
    const problem = check(request, replies[i]!);
    if (problem) {
      throw new Error(`${request.label}: ${problem}\nrequest: ${JSON.stringify(request).slice(0, 1500)}\nreply ${replies[i]!.status}: ${JSON.stringify(replies[i]!.body)?.slice(0, 600)}`);
    }
  });
}

describe(`fuzzing (seed ${SEED}, ${RUNS} x ${BATCH} requests per transport)`, () => {
  it("REST: never a 5xx, errors in the documented shape, successes match their schema", { timeout: 240_000 }, async () => {
    const start = sent;
    await fc.assert(
      fc.asyncProperty(fc.array(restRequest(), { minLength: BATCH, maxLength: BATCH }), (requests) => runBatch(requests, restProblem)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`REST fuzz: ${sent - start} requests`);
    expect(sent - start).toBeGreaterThanOrEqual(RUNS * BATCH);
  });

  it("tRPC: never a 5xx, every error in the formatter's shape", { timeout: 240_000 }, async () => {
    const start = sent;
    await fc.assert(
      fc.asyncProperty(fc.array(trpcRequest(), { minLength: BATCH, maxLength: BATCH }), (requests) => runBatch(requests, trpcProblem)),
      { numRuns: RUNS, seed: SEED + 1, endOnFailure: true },
    );
    console.log(`tRPC fuzz: ${sent - start} requests`);
    expect(sent - start).toBeGreaterThanOrEqual(RUNS * BATCH);
  });

  it("left every invariant intact and stored exactly what it acknowledged", async () => {
    const after = await scanTable();
    expect(invariantViolations(after)).toEqual([]);
    const keys: Record<keyof typeof acknowledged, string> = { message: "message_id", class: "class_id", post: "post_id", comment: "comment_id", assignment: "assignment_id" };
    for (const [entity, key] of Object.entries(keys) as Array<[keyof typeof acknowledged, string]>) {
      const old = new Set(byEntity(before, entity).map((item) => item[key]));
      const created = byEntity(after, entity).map((item) => String(item[key])).filter((id) => !old.has(id));
      const acked = [...acknowledged[entity]].filter((id) => !old.has(id));
      expect(created.sort(), `${entity}s created`).toEqual(acked.sort());
    }
    console.log(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    console.log(`fuzz total: ${sent} requests; created ${Object.entries(acknowledged).map(([k, v]) => `${v.size} ${k}`).join(", ")}`);
  });
});
