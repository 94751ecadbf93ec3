/**
 * What each operation consumes in DynamoDB (ReturnConsumedCapacity on every request the
 * domain functions make, the same functions the endpoints call), and a monthly cost model
 * at published on-demand prices, driven by the requests per person per day that the
 * school-day simulation measured (schoolday.ts). The API is served through a Lambda function
 * URL (no per-request fee: the API verifies tokens itself); API Gateway stays an option,
 * priced beside it.
 */
import * as Chat from "@classroom/core/chat";
import * as Comment from "@classroom/core/comment";
import * as Notification from "@classroom/core/notification";
import * as Post from "@classroom/core/post";
import * as RateLimit from "@classroom/core/ratelimit";
import { dynamo } from "@classroom/core/table";
import { round } from "./stats.ts";
import { type StackInfo, makeClass, makeUsers } from "./world.ts";

export interface Units {
  read: number;
  write: number;
}

let meter: Units | undefined;
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{
        CapacityUnits?: number;
        ReadCapacityUnits?: number;
        WriteCapacityUnits?: number;
      }>;
      const isRead = /^(Get|Query|BatchGet|TransactGet)/.test(context.commandName ?? "");
      for (const c of list) {
        if (!meter) continue;
        if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
          meter.read += c.ReadCapacityUnits ?? 0;
          meter.write += c.WriteCapacityUnits ?? 0;
        } else if (isRead) meter.read += c.CapacityUnits ?? 0;
        else meter.write += c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: "initialize", name: "benchConsumedCapacity" },
  );
}

async function metered(work: () => Promise<unknown>): Promise<Units> {
  meter = { read: 0, write: 0 };
  await work();
  const units = { read: round(meter.read), write: round(meter.write) };
  meter = undefined;
  return units;
}

/** Requests per person per school day, from the school-day simulation (adaptive polling). */
export interface Traffic {
  polls: number;
  inbox: number;
  pageLoads: number;
  messages: number;
  reactions: number;
}

export interface CostMonth {
  users: number;
  requestsPerMonth: number;
  lambda: number;
  apiGateway: number;
  dynamodb: number;
  s3: number;
  eventBridge: number;
  notifier: number;
  recommendations: number;
  logs: number;
  fixed: number;
  /** Served through a Lambda function URL, and through API Gateway (HTTP API). */
  totalFunctionUrl: number;
  totalApiGateway: number;
  per100FunctionUrl: number;
}

export interface CostResult {
  perOperation: Record<string, Units>;
  traffic: Traffic;
  assumptions: Record<string, number | string>;
  months: CostMonth[];
  target: string;
}

// Published prices (us-east-1, on-demand): DynamoDB $0.125 per million read request units and
// $0.625 per million write request units, $0.25 per GB-month stored; Lambda arm64 $0.20 per
// million requests and $0.0000133334 per GB-second; API Gateway HTTP API $1.00 per million
// requests (a function URL has no request fee); S3 Standard $0.023 per GB-month, $0.005 per
// 1,000 PUT/POST and $0.0004 per 1,000 GET, data out $0.09 per GB after 100 GB a month free;
// EventBridge $1.00 per million custom events published (rule deliveries to Lambda are free);
// CloudWatch Logs $0.50 per GB ingested, $0.10 per alarm and $3 per dashboard per month.
const PRICE = {
  rru: 0.125e-6,
  wru: 0.625e-6,
  dynamoGbMonth: 0.25,
  lambdaRequest: 0.2e-6,
  gbSecond: 0.0000133334,
  apiRequest: 1e-6,
  s3GbMonth: 0.023,
  s3Put: 0.005e-3,
  s3Get: 0.0004e-3,
  s3OutGb: 0.09,
  s3FreeOutGb: 100,
  event: 1e-6,
  logGb: 0.5,
  alarm: 0.1,
  dashboard: 3,
};

/** What is assumed rather than measured; each is printed under the table. */
const ASSUME = {
  "school days per month": 21,
  "Lambda memory (GB)": 1,
  "Lambda ms per poll or read": 15,
  "Lambda ms per write": 40,
  "stream Lambda ms per write": 20,
  "share of polls that find news": 0.1,
  "files uploaded per person per school day": 0.5,
  "downloads per person per school day": 3,
  "average file (MB)": 2,
  "files kept per person (GB)": 0.25,
  "events published per person per school day": 2,
  "notifications written per person per school day": 3,
  "notifier Lambda ms per event": 50,
  "recommendations job: runs per month (hourly)": 720,
  "recommendations job: ms per run, fixed + per person": "2000 + 10",
  "recommendations job: read units per person per run": 5,
  "table size per person (MB)": 5,
  "log bytes per Lambda invocation": 350,
  alarms: 8,
  dashboards: 1,
};

export async function cost(stack: StackInfo, traffic: Traffic): Promise<CostResult> {
  install();
  const [teacher, student] = await makeUsers(stack, 2);
  const class_id = await makeClass(teacher!, [student!], "Cost");
  const actor = student!.actor;
  const start = await Chat.list({ class_id, direction: "backward", limit: 1 }, actor);
  await Chat.poll({ class_id, cursor: start.newer }, actor); // the membership is now cached, as on a warm Lambda

  const perOperation: Record<string, Units> = {};
  perOperation["idle poll"] = await metered(() => Chat.poll({ class_id, cursor: start.newer }, actor));
  await Chat.send({ class_id, content: "news" }, teacher!.actor);
  perOperation["poll with 1 new message"] = await metered(() => Chat.poll({ class_id, cursor: start.newer }, actor));
  perOperation["inbox summary (1 class)"] = await metered(() => Notification.summary({}, actor));
  perOperation["first chat page (30)"] = await metered(() => Chat.list({ class_id, direction: "backward", limit: 30 }, actor));
  perOperation.send = await metered(async () => {
    await RateLimit.consume(actor.userId, "write");
    await Chat.send({ class_id, content: "a message of ordinary length, about as long as most chat lines are" }, actor);
  });
  const { message_id } = await Chat.send({ class_id, content: "react here" }, teacher!.actor);
  perOperation["toggle reaction"] = await metered(async () => {
    await RateLimit.consume(actor.userId, "write");
    await Chat.react({ message_id, reaction_type: "like" }, actor);
  });
  const post = await Post.create({ class_id, content: "post" }, teacher!.actor);
  const comment = await Comment.create({ post_id: post.post_id, content: "comment" }, actor);
  perOperation["delete comment"] = await metered(async () => {
    await RateLimit.consume(actor.userId, "write");
    await Comment.remove({ comment_id: comment.comment_id }, actor);
  });

  const days = ASSUME["school days per month"];
  const gb = ASSUME["Lambda memory (GB)"];
  const w = perOperation;
  const idle = w["idle poll"]!;
  const busy = w["poll with 1 new message"]!;
  const news = ASSUME["share of polls that find news"];
  const months = [100, 1000, 10000].map((users): CostMonth => {
    const perDay = (n: number) => users * n * days;
    const polls = perDay(traffic.polls);
    const reads = perDay(traffic.inbox + traffic.pageLoads);
    const writes = perDay(traffic.messages + traffic.reactions);
    const uploads = perDay(ASSUME["files uploaded per person per school day"]);
    const downloads = perDay(ASSUME["downloads per person per school day"]);
    const events = perDay(ASSUME["events published per person per school day"]);
    const notifications = perDay(ASSUME["notifications written per person per school day"]);
    // Each file is two API calls (presign, complete) and each download one (a presigned GET).
    const requests = polls + reads + writes + 2 * uploads + downloads;
    const readUnits =
      polls * ((1 - news) * idle.read + news * busy.read) +
      perDay(traffic.inbox) * w["inbox summary (1 class)"]!.read +
      perDay(traffic.pageLoads) * w["first chat page (30)"]!.read +
      perDay(traffic.messages) * w.send!.read +
      perDay(traffic.reactions) * w["toggle reaction"]!.read +
      (uploads + downloads) * 1 +
      ASSUME["recommendations job: runs per month (hourly)"] * users * ASSUME["recommendations job: read units per person per run"];
    const writeUnits = perDay(traffic.messages) * w.send!.write + perDay(traffic.reactions) * w["toggle reaction"]!.write + uploads * 4 + notifications * 2;
    const dynamodb = readUnits * PRICE.rru + writeUnits * PRICE.wru + (users * ASSUME["table size per person (MB)"] / 1024) * PRICE.dynamoGbMonth;
    const apiSeconds = (polls + reads + 2 * uploads + downloads) * 0.015 + (writes + uploads) * 0.04;
    const streamInvocations = writes + uploads + notifications; // batched in practice: an upper bound
    const lambda = (requests + streamInvocations) * PRICE.lambdaRequest + (apiSeconds + (writes + uploads) * 0.02) * gb * PRICE.gbSecond;
    const apiGateway = requests * PRICE.apiRequest;
    const outGb = (downloads * ASSUME["average file (MB)"]) / 1024;
    const s3 =
      users * ASSUME["files kept per person (GB)"] * PRICE.s3GbMonth + uploads * PRICE.s3Put + downloads * PRICE.s3Get + Math.max(0, outGb - PRICE.s3FreeOutGb) * PRICE.s3OutGb;
    const eventBridge = events * PRICE.event;
    const notifier = events * PRICE.lambdaRequest + events * (ASSUME["notifier Lambda ms per event"] / 1000) * gb * PRICE.gbSecond;
    const runs = ASSUME["recommendations job: runs per month (hourly)"];
    const recommendations = runs * PRICE.lambdaRequest + runs * ((2000 + 10 * users) / 1000) * gb * PRICE.gbSecond;
    const invocations = requests + streamInvocations + events + runs;
    const logs = ((invocations * ASSUME["log bytes per Lambda invocation"]) / 1024 ** 3) * PRICE.logGb;
    const fixed = ASSUME.alarms * PRICE.alarm + ASSUME.dashboards * PRICE.dashboard;
    const totalFunctionUrl = lambda + dynamodb + s3 + eventBridge + notifier + recommendations + logs + fixed;
    return {
      users,
      requestsPerMonth: requests,
      lambda: round(lambda),
      apiGateway: round(apiGateway),
      dynamodb: round(dynamodb),
      s3: round(s3),
      eventBridge: round(eventBridge),
      notifier: round(notifier),
      recommendations: round(recommendations),
      logs: round(logs),
      fixed: round(fixed),
      totalFunctionUrl: round(totalFunctionUrl),
      totalApiGateway: round(totalFunctionUrl + apiGateway),
      per100FunctionUrl: round((totalFunctionUrl / users) * 100),
    };
  });
  return { perOperation, traffic, assumptions: ASSUME, months, target: "≤ $12 a month per 100 users, linear to 10,000" };
}

const money = (value: number) => `$${value.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The report's cost section. */
export function costReport(c: CostResult): string[] {
  const lines: string[] = [];
  const t = c.traffic;
  lines.push(
    `### Monthly cost model (the school day's requests per person: ${t.polls.toLocaleString("en")} chat polls, ${t.inbox} inbox polls, ${t.pageLoads} page loads, ${t.messages + t.reactions} messages and reactions; ${c.assumptions["school days per month"]} school days)`,
    "",
    "| people | requests/month | Lambda | DynamoDB | S3 | EventBridge | notifier | recommendations job | logs | alarms + dashboard | total, function URL | per 100 people | API Gateway (option) | total, API Gateway |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  const first = c.months[0];
  for (const m of c.months) {
    const linear = first ? m.per100FunctionUrl <= first.per100FunctionUrl * 1.05 : true;
    lines.push(
      `| ${m.users.toLocaleString("en")} | ${(m.requestsPerMonth / 1e6).toFixed(1)} M | ${money(m.lambda)} | ${money(m.dynamodb)} | ${money(m.s3)} | ${money(m.eventBridge)} | ${money(m.notifier)} | ${money(m.recommendations)} | ${money(m.logs)} | ${money(m.fixed)} | **${money(m.totalFunctionUrl)}** | ${money(m.per100FunctionUrl)} ${mark(m.per100FunctionUrl <= 12 && linear)} | ${money(m.apiGateway)} | ${money(m.totalApiGateway)} |`,
    );
  }
  lines.push(
    "",
    `Target: ${c.target} (✅ per row: at most $12 per 100 people, and no more per person than at 100). Assumptions: ${Object.entries(c.assumptions)
      .map(([k, v]) => `${k} ${v}`)
      .join("; ")}.`,
  );
  return lines;
}

const mark = (ok: boolean) => (ok ? "✅" : "❌");
