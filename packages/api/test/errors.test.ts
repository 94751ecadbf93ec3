/** The one error mapping both transports use: status, stable code, a message for a person, nothing internal. */
import { DomainError } from "@classroom/core/errors";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { describeError, toTRPCError } from "../src/errors.ts";

describe("describeError", () => {
  it("maps each domain error kind to its status and keeps its code and message", () => {
    const cases = [
      ["bad_request", 400],
      ["unauthorized", 401],
      ["forbidden", 403],
      ["not_found", 404],
      ["conflict", 409],
      ["rate_limited", 429],
      ["unavailable", 503],
    ] as const;
    for (const [kind, status] of cases) {
      const error = new DomainError(kind, `x.${kind}`, `Message for ${kind}`);
      expect(describeError(error)).toEqual({ status, code: `x.${kind}`, message: `Message for ${kind}` });
      expect(describeError(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error })))).toEqual({
        status,
        code: `x.${kind}`,
        message: `Message for ${kind}`,
      });
    }
  });

  it("carries Retry-After seconds for rate limits", () => {
    const limited = new DomainError("rate_limited", "rate.limited", "Slow down", { retryAfterSeconds: 7 });
    expect(describeError(limited).retryAfterSeconds).toBe(7);
  });

  it("turns input validation into 400 input.invalid naming the field", () => {
    const parsed = z.object({ content: z.string().min(1, "must not be empty") }).safeParse({ content: "" });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    expect(describeError(error)).toEqual({ status: 400, code: "input.invalid", message: "content: must not be empty" });
  });

  it("answers 503 when the database cannot be reached, at any depth of the cause chain", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
    const wrapped = new Error("ElectroDB failed", { cause: refused });
    const trpc = toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: wrapped }));
    expect(trpc.code).toBe("SERVICE_UNAVAILABLE");
    expect(describeError(trpc)).toMatchObject({ status: 503, code: "service.unavailable" });
    const throttled = Object.assign(new Error("slow down"), { name: "ProvisionedThroughputExceededException" });
    expect(describeError(throttled).status).toBe(503);
  });

  it("hides everything about unknown errors behind a 500 internal", () => {
    const described = describeError(new Error("TypeError: cannot read secret_column of undefined at /var/task/index.mjs"));
    expect(described).toEqual({ status: 500, code: "internal", message: "Something went wrong on our side. Please try again." });
  });

  it("keeps the tRPC protocol errors' own status", () => {
    expect(describeError(new TRPCError({ code: "NOT_FOUND", message: "No procedure" }))).toMatchObject({ status: 404, code: "request.not_found" });
    expect(describeError(new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "Too big" }))).toMatchObject({ status: 413 });
  });
});
