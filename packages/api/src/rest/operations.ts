/** The REST adapter's operations: each domain's slice contributes its own (one line per domain). */
import { operations as assignment } from "../router/assignment/index.ts";
import { operations as audit } from "../router/audit/index.ts";
import { operations as chat } from "../router/chat/index.ts";
import { operations as classes } from "../router/class/index.ts";
import { operations as comment } from "../router/comment/index.ts";
import { operations as file } from "../router/file/index.ts";
import { operations as gradebook } from "../router/gradebook/index.ts";
import { operations as member } from "../router/member/index.ts";
import { operations as notification } from "../router/notification/index.ts";
import { operations as post } from "../router/post/index.ts";
import { operations as recommendation } from "../router/recommendation/index.ts";
import { operations as standing } from "../router/standing/index.ts";
import { operations as submission } from "../router/submission/index.ts";
import type { RestOperation, openRoutes } from "../routes.ts";
import type { Operation } from "./operation.ts";

type OpenOperation = (typeof openRoutes)[number]["operation"];

export const operations: Record<Exclude<RestOperation, OpenOperation>, Operation> = {
  ...chat,
  ...classes,
  ...member,
  ...post,
  ...comment,
  ...audit,
  ...assignment,
  ...submission,
  ...gradebook,
  ...standing,
  ...notification,
  ...file,
  ...recommendation,
};
