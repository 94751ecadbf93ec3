/**
 * Domain errors. Core throws these; each transport maps `kind` to its status once
 * (tRPC error formatter, REST adapter). `code` is a stable dotted identifier
 * (`comment.not_found`), `message` is written for a person.
 */
export type ErrorKind =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "rate_limited"
  | "unavailable";

export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly kind: ErrorKind;
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, code: string, message: string, options?: { retryAfterSeconds?: number }) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export const badRequest = (code: string, message: string) => new DomainError("bad_request", code, message);
export const notFound = (code: string, message: string) => new DomainError("not_found", code, message);
export const forbidden = (code: string, message: string) => new DomainError("forbidden", code, message);
export const conflict = (code: string, message: string) => new DomainError("conflict", code, message);
/** Well-formed, but what it points at cannot be accepted (an uploaded file unlike its declaration). */
export const unprocessable = (code: string, message: string) => new DomainError("unprocessable", code, message);

/** Turns a `not_found` error into `missing()` (for things whose class the caller cannot see), passing others on. */
export const notFoundAs = (missing: () => DomainError) => (error: unknown): never => {
  throw error instanceof DomainError && error.kind === "not_found" ? missing() : error;
};

/** The `input.invalid` error for failed validation, naming the first offending field. */
export function invalidInput(issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey>; message: string }>): DomainError {
  const issue = issues[0];
  const where = issue?.path && issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return new DomainError("bad_request", "input.invalid", `${where}${issue?.message ?? "invalid input"}`);
}
