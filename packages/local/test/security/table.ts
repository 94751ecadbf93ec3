/**
 * Reads the whole table straight from DynamoDB (not through the API or core) and checks the
 * invariants every suite relies on. A Scan is fine here: this is a test, not a request path.
 */
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";

export type Item = Record<string, any>;

const ENTITY = "__edb_e__";
const entityOf = (item: Item): string => String(item[ENTITY] ?? "");

/** Every item of the table, unmarshalled (sets become `Set`s). */
export async function scanTable(env: Record<string, string> = process.env as Record<string, string>): Promise<Item[]> {
  const client = new DynamoDBClient({
    endpoint: env.DYNAMODB_ENDPOINT,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 5,
  });
  try {
    const items: Item[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: env.CLASSROOM_TABLE, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const raw of page.Items ?? []) items.push(unmarshall(raw));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

export const byEntity = (items: Item[], entity: string) => items.filter((item) => entityOf(item) === entity);
const size = (value: unknown) => (value instanceof Set ? value.size : Array.isArray(value) ? value.length : 0);

/**
 * The domain state a refused request must not change: classes, memberships, messages,
 * posts and comments, exactly as stored. (Rate windows, user profiles, the audit trail and
 * statistics are bookkeeping and excluded.)
 */
export function domainSnapshot(items: Item[], classIds?: ReadonlySet<string>): Item[] {
  const kept = new Set(["class", "membership", "message", "messageRef", "post", "comment", "enrollmentCode", "assignment", "submission", "submissionWork", "file", "fileLink"]);
  return items
    .filter((item) => kept.has(entityOf(item)) && (!classIds || classIds.has(String(item.class_id))))
    .map((item) => {
      const copy: Item = {};
      for (const [key, value] of Object.entries(item)) copy[key] = value instanceof Set ? [...value].sort() : value;
      return copy;
    })
    .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

/** Every invariant of the stored data; returns the violations (empty when all hold). */
export function invariantViolations(items: Item[]): string[] {
  const problems: string[] = [];
  const classes = byEntity(items, "class");
  const memberships = byEntity(items, "membership");
  const messages = byEntity(items, "message");
  const refs = byEntity(items, "messageRef");
  const posts = byEntity(items, "post");
  const comments = byEntity(items, "comment");

  for (const m of messages) {
    const where = `message ${m.message_id}`;
    if ((m.like_count ?? 0) !== size(m.liked_by)) problems.push(`${where}: like_count ${m.like_count} != |liked_by| ${size(m.liked_by)}`);
    if ((m.heart_count ?? 0) !== size(m.hearted_by)) problems.push(`${where}: heart_count ${m.heart_count} != |hearted_by| ${size(m.hearted_by)}`);
  }
  const messageIds = new Map<string, number>();
  for (const m of messages) messageIds.set(m.message_id, (messageIds.get(m.message_id) ?? 0) + 1);
  for (const [id, n] of messageIds) if (n !== 1) problems.push(`message ${id} stored ${n} times`);
  const refById = new Map(refs.map((r) => [r.message_id as string, r]));
  for (const m of messages) {
    const ref = refById.get(m.message_id);
    if (!ref) problems.push(`message ${m.message_id} has no ref`);
    else if (ref.class_id !== m.class_id || ref.created_at !== m.created_at) problems.push(`message ${m.message_id}: ref points elsewhere`);
  }
  if (refs.length !== messages.length) problems.push(`${refs.length} message refs for ${messages.length} messages`);

  const classById = new Map(classes.map((c) => [c.class_id as string, c]));
  for (const c of classes) {
    const own = messages.filter((m) => m.class_id === c.class_id);
    if ((c.message_count ?? 0) !== own.length) problems.push(`class ${c.class_id}: message_count ${c.message_count} != ${own.length} messages`);
    const newest = own.map((m) => m.created_at as string).sort().at(-1);
    if (newest !== undefined && c.last_message_at !== newest) problems.push(`class ${c.class_id}: last_message_at ${c.last_message_at} != newest ${newest}`);
    if (new Set(own.map((m) => m.created_at)).size !== own.length) problems.push(`class ${c.class_id}: two messages share a position`);
    if (c.deleted_at) {
      // A deleted class is gone for everyone: nobody is left in it, and its code is free.
      if (memberships.some((m) => m.class_id === c.class_id)) problems.push(`deleted class ${c.class_id} still has members`);
    } else if (!memberships.some((m) => m.class_id === c.class_id && m.role === "teacher")) problems.push(`class ${c.class_id} has no teacher`);
  }
  problems.push(...courseworkViolations(items, classById));
  for (const m of [...memberships, ...messages, ...posts, ...comments]) {
    if (!classById.has(m.class_id)) problems.push(`${entityOf(m)} ${m.pk} belongs to missing class ${m.class_id}`);
  }

  for (const p of posts) {
    const active = comments.filter((c) => c.post_id === p.post_id && c.status === 1).length;
    if ((p.comment_count ?? 0) !== active) problems.push(`post ${p.post_id}: comment_count ${p.comment_count} != ${active} active comments`);
  }
  const postById = new Map(posts.map((p) => [p.post_id as string, p]));
  for (const c of comments) {
    if (c.status !== 0 && c.status !== 1) problems.push(`comment ${c.comment_id}: status ${c.status}`);
    if (c.status === 0 && (!c.deleted_at || !c.deleted_by)) problems.push(`comment ${c.comment_id}: deleted without who/when (half-done delete)`);
    if (c.status === 1 && (c.deleted_at || c.deleted_by)) problems.push(`comment ${c.comment_id}: active but marked deleted (half-done delete)`);
    const post = postById.get(c.post_id);
    if (!post) problems.push(`comment ${c.comment_id} on missing post`);
    else if (post.class_id !== c.class_id) problems.push(`comment ${c.comment_id} in another class than its post`);
  }
  return problems;
}

/** Enrollment codes, assignments and submissions: codes unique and pointing home, grades within the points, states complete. */
function courseworkViolations(items: Item[], classById: Map<string, Item>): string[] {
  const problems: string[] = [];
  for (const code of byEntity(items, "enrollmentCode")) {
    const owner = classById.get(code.class_id);
    if (!owner || owner.deleted_at || owner.enrollment_code !== code.code) problems.push(`code ${code.code} does not belong to a live class`);
  }
  for (const c of classById.values()) {
    if (!c.deleted_at && c.enrollment_code && !byEntity(items, "enrollmentCode").some((code) => code.code === c.enrollment_code && code.class_id === c.class_id)) {
      problems.push(`class ${c.class_id}: its code ${c.enrollment_code} is not reserved`);
    }
  }
  const assignments = new Map(byEntity(items, "assignment").map((a) => [a.assignment_id as string, a]));
  for (const a of assignments.values()) if (!classById.has(a.class_id)) problems.push(`assignment ${a.assignment_id} in missing class`);
  for (const s of byEntity(items, "submission")) {
    const where = `submission ${s.assignment_id}_${s.student_id}`;
    const assignment = assignments.get(s.assignment_id);
    if (!assignment || assignment.class_id !== s.class_id) problems.push(`${where}: not of an assignment of its class`);
    if (!["new", "turned_in", "returned", "reclaimed"].includes(s.state)) problems.push(`${where}: state ${s.state}`);
    if (s.state === "turned_in" && !s.turned_in_at) problems.push(`${where}: turned in without a time`);
    if (s.state === "returned" && !s.returned_at) problems.push(`${where}: returned without a time`);
    for (const grade of [s.draft_grade, s.assigned_grade]) {
      if (grade === undefined) continue;
      const max = assignment?.max_points;
      if (max === undefined || grade < 0 || grade > max || Math.abs(grade * 100 - Math.round(grade * 100)) > 1e-6) problems.push(`${where}: grade ${grade} outside 0..${max}`);
    }
  }
  return problems;
}

/**
 * The stream's statistics against the stored data: with every stream record handled exactly
 * once, the day counters of a class add up to what the table holds. A double-counted (or
 * lost) record shows up as a difference.
 */
export function statsViolations(items: Item[], classIds: Iterable<string>): string[] {
  const problems: string[] = [];
  const stats = byEntity(items, "classStats");
  for (const class_id of classIds) {
    const sum = (field: string) => stats.filter((s) => s.class_id === class_id).reduce((n, s) => n + (s[field] ?? 0), 0);
    const messages = byEntity(items, "message").filter((m) => m.class_id === class_id);
    const comments = byEntity(items, "comment").filter((c) => c.class_id === class_id);
    const expected = {
      messages_sent: messages.length,
      reactions: messages.reduce((n, m) => n + (m.like_count ?? 0) + (m.heart_count ?? 0), 0),
      comments_created: comments.length,
      comments_deleted: comments.filter((c) => c.status === 0).length,
    };
    for (const [field, value] of Object.entries(expected)) {
      if (sum(field) !== value) problems.push(`class ${class_id}: stats ${field} ${sum(field)} != ${value} in the table`);
    }
  }
  return problems;
}
