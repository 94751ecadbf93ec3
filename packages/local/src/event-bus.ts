/**
 * A local EventBridge bus for `pnpm dev` and the tests. It speaks the PutEvents API (the AWS
 * SDK's own client talks to it through `EVENTBRIDGE_ENDPOINT`, exactly as it talks to AWS),
 * applies the app's rules (core's notification catalog) with EventBridge's pattern semantics,
 * and invokes the rule's target, the notifier Lambda's handler, asynchronously as Lambda
 * does: a failed invocation is retried twice, then kept as dead-lettered.
 */
import * as Notification from "@classroom/core/notification";
import { randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { matches, type Pattern } from "./event-pattern.ts";

export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export type Target = (event: BusEvent) => Promise<unknown>;

export interface LocalBus {
  endpoint: string;
  busName: string;
  /** Resolves when every event put so far has been handled (delivered or dead-lettered). */
  drain(): Promise<void>;
  /** Events whose target failed on every attempt. */
  deadLetters: Array<{ event: BusEvent; rule: string; error: string }>;
  stop(): Promise<void>;
}

export interface LocalBusOptions {
  target: Target;
  busName?: string;
  port?: number;
  /** Waits before each retry (Lambda waits about a minute, then two; locally shorter). */
  retryDelaysMs?: number[];
}

export async function startLocalBus(options: LocalBusOptions): Promise<LocalBus> {
  const busName = options.busName ?? "classroom-local";
  const delays = options.retryDelaysMs ?? [200, 1_000];
  const deadLetters: LocalBus["deadLetters"] = [];
  const inFlight = new Set<Promise<void>>();

  const invoke = async (event: BusEvent, rule: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await options.target(event);
        return;
      } catch (error) {
        if (attempt >= delays.length) {
          deadLetters.push({ event, rule, error: (error as Error).message });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
      }
    }
  };

  const route = (event: BusEvent) => {
    for (const rule of Notification.rules) {
      if (!matches(rule.pattern as Pattern, event as unknown as Record<string, unknown>)) continue;
      const run = invoke(event, rule.name).finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify(body));
      };
      if (request.headers["x-amz-target"] !== "AWSEvents.PutEvents") {
        return reply(400, { __type: "UnknownOperationException", message: "The local bus only implements PutEvents." });
      }
      let body: { Entries?: Array<{ Source?: string; DetailType?: string; Detail?: string; EventBusName?: string; Time?: number | string; Resources?: string[] }> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(400, { __type: "SerializationException", message: "Malformed body" });
      }
      const entries = (body.Entries ?? []).map((entry) => {
        if (!entry.Source || !entry.DetailType || !entry.Detail) return { ErrorCode: "InvalidArgument", ErrorMessage: "Source, DetailType and Detail are required" };
        if (entry.EventBusName && entry.EventBusName !== busName) return { ErrorCode: "ResourceNotFoundException", ErrorMessage: `No bus ${entry.EventBusName}` };
        let detail: unknown;
        try {
          detail = JSON.parse(entry.Detail);
        } catch {
          return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is not JSON" };
        }
        const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === "number" ? entry.Time * 1000 : entry.Time);
        const event: BusEvent = {
          version: "0",
          id: randomUUID(),
          "detail-type": entry.DetailType,
          source: entry.Source,
          account: "000000000000",
          time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
          region: "local",
          resources: entry.Resources ?? [],
          detail,
        };
        route(event);
        return { EventId: event.id };
      });
      reply(200, { FailedEntryCount: entries.filter((e) => "ErrorCode" in e).length, Entries: entries });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    busName,
    deadLetters,
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
