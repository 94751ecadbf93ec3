/**
 * The API's log lines, captured in a test process. The API logs one JSON object per line
 * (Powertools) to stdout and stderr, and every failed request it answers with a 5xx is an
 * ERROR line with its stack. Suites that take DynamoDB down or break the JWKS on purpose make
 * it log hundreds of those, all expected, which would bury the test report. While capturing,
 * those lines are kept here (and in `file`, for other processes to read) instead of printed;
 * everything else written to stdout/stderr passes through. The suites then assert on them:
 * an error the API answered with a documented code (`service.unavailable`, ...) is expected,
 * and so is one that only says a service could not be reached in time (the stream consumer's,
 * which the poller retries); an `internal` one (a 500), or any other, fails the suite.
 *
 * `CLASSROOM_TEST_LOGS=print` prints the API's lines as well.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export interface ApiLogRecord {
  level: string;
  message: string;
  timestamp?: string;
  /** The public error code the API answered with, on ERROR lines. */
  code?: string;
  path?: string;
  error?: { name?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

export interface ApiLogCapture {
  readonly records: readonly ApiLogRecord[];
  /** Records at ERROR level or above. */
  errors(): ApiLogRecord[];
  /** Errors no test expects: see `isUnexpected`. */
  unexpected(): ApiLogRecord[];
  /** One line for the test output: how many lines were kept out of it, by code. */
  summary(): string;
  stop(): void;
}

const ERROR_LEVELS = new Set(["ERROR", "CRITICAL", "FATAL"]);

export const isError = (record: ApiLogRecord) => ERROR_LEVELS.has(record.level);

/** How the SDK reports a service it cannot reach: refused, reset or timed-out connections. */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|TimeoutError|requestTimeout/;

/**
 * An error no test expects: answered with `internal` (a 500), or logged without a code for a
 * reason other than a service that could not be reached.
 */
export const isUnexpected = (record: ApiLogRecord) =>
  isError(record) && (record.code ? record.code === "internal" : !UNREACHABLE.test(JSON.stringify(record.error ?? {})));

/** A Powertools log line: one JSON object with a level, a message, a timestamp and a service. */
function parse(line: string): ApiLogRecord | undefined {
  if (!line.startsWith("{") || !line.endsWith("}")) return undefined;
  try {
    const record = JSON.parse(line) as ApiLogRecord;
    return typeof record.level === "string" && typeof record.message === "string" && "service" in record && "timestamp" in record
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

export function captureApiLogs(options: { file?: string } = {}): ApiLogCapture {
  const records: ApiLogRecord[] = [];
  const print = process.env.CLASSROOM_TEST_LOGS === "print";
  const restore: Array<() => void> = [];

  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    const patched = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      const passed: string[] = [];
      let kept = 0;
      for (const line of text.split("\n")) {
        const record = parse(line.trim());
        if (!record) {
          passed.push(line);
          continue;
        }
        records.push(record);
        if (options.file) appendFileSync(options.file, `${JSON.stringify(record)}\n`);
        kept++;
        if (print) passed.push(line);
      }
      if (kept === 0 || print) return write.call(stream, chunk as string, encoding as BufferEncoding, callback as () => void);
      const done = typeof encoding === "function" ? encoding : callback;
      const rest = passed.join("\n");
      if (rest.trim()) return write.call(stream, rest, "utf8", done as (error?: Error | null) => void);
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    };
    stream.write = patched as typeof stream.write;
    restore.push(() => {
      stream.write = write;
    });
  }

  return {
    records,
    errors: () => records.filter(isError),
    unexpected: () => records.filter(isUnexpected),
    summary: () => summarize(records),
    stop: () => restore.forEach((undo) => undo()),
  };
}

/** The records a capture wrote to `file` (from another process). */
export function readApiLogs(file: string): ApiLogRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ApiLogRecord);
}

export function summarize(records: readonly ApiLogRecord[]): string {
  const errors = records.filter(isError);
  const byCode = new Map<string, number>();
  for (const record of errors) byCode.set(record.code ?? "no code", (byCode.get(record.code ?? "no code") ?? 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ×${count}`);
  return (
    `API log: ${records.length} lines kept out of this output, ${errors.length} of them errors` +
    `${codes.length ? ` (${codes.join(", ")})` : ""}, ${records.filter(isUnexpected).length} unexpected` +
    " (CLASSROOM_TEST_LOGS=print shows them)"
  );
}
