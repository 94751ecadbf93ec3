/**
 * What each operation consumes in DynamoDB (ReturnConsumedCapacity on every request the
 * domain functions make, the same functions the endpoints call), and a monthly cost model
 * at published on-demand prices.
 */
import * as Chat from "@classroom/core/chat";
import * as Comment from "@classroom/core/comment";
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

export interface CostResult {
  perOperation: Record<string, Units>;
  assumptions: Record<string, number | string>;
  months: Array<{ users: number; requestsPerMonth: number; lambda: number; apiGateway: number; dynamodb: number; fixed: number; total: number }>;
  requirements: string;
}

// Published prices (us-east-1, on-demand): DynamoDB $0.125 per million read request units and
// $0.625 per million write request units; Lambda arm64 $0.20 per million requests and
// $0.0000133334 per GB-second; API Gateway HTTP API $1.00 per million requests; CloudWatch
// $0.10 per alarm and $3 per dashboard per month.
const PRICE = { rru: 0.125e-6, wru: 0.625e-6, lambdaRequest: 0.2e-6, gbSecond: 0.0000133334, apiRequest: 1e-6, alarm: 0.1, dashboard: 3 };

export async function cost(stack: StackInfo): Promise<CostResult> {
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

  const assumptions = {
    schoolDayHours: 7,
    schoolDaysPerMonth: 21,
    pollIntervalSeconds: 3,
    "share of polls that find news": 0.1,
    "messages per user per day": 20,
    "reactions per user per day": 20,
    "comment deletes per user per day": 1,
    "Lambda memory (GB)": 1,
    "Lambda ms per poll": 15,
    "Lambda ms per write": 40,
    "stream Lambda ms per write": 20,
  };
  const pollsPerUser = ((7 * 3600) / 3) * 21;
  const writesPerUser = (20 + 20 + 1) * 21;
  const idle = perOperation["idle poll"]!;
  const busy = perOperation["poll with 1 new message"]!;
  const months = [100, 1000, 10000].map((users) => {
    const polls = users * pollsPerUser;
    const writes = users * writesPerUser;
    const pollReads = polls * (0.9 * idle.read + 0.1 * busy.read);
    const w = perOperation;
    const writeUnits = users * 21 * (20 * (w.send!.write) + 20 * w["toggle reaction"]!.write + 1 * w["delete comment"]!.write);
    const writeReads = users * 21 * (20 * w.send!.read + 20 * w["toggle reaction"]!.read + 1 * w["delete comment"]!.read);
    const dynamodb = (pollReads + writeReads) * PRICE.rru + writeUnits * PRICE.wru;
    const requests = polls + writes;
    const lambda = (requests + writes) * PRICE.lambdaRequest + (polls * 0.015 + writes * 0.04 + writes * 0.02) * PRICE.gbSecond;
    const apiGateway = requests * PRICE.apiRequest;
    const fixed = 8 * PRICE.alarm + PRICE.dashboard;
    return {
      users,
      requestsPerMonth: requests,
      lambda: round(lambda),
      apiGateway: round(apiGateway),
      dynamodb: round(dynamodb),
      fixed: round(fixed),
      total: round(lambda + apiGateway + dynamodb + fixed),
    };
  });
  return { perOperation, assumptions, months, requirements: "$15-23/month for 100-200 active users" };
}
