import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { describeError, isClassGone, isTransient, retryDelayMs } from "./errors.ts";

function apiError(message: string, data?: Record<string, unknown>) {
  const error = new TRPCClientError(message);
  Object.assign(error, { data });
  return error;
}

describe("errors in words", () => {
  it("shows the API's message, never its code", () => {
    const error = apiError("Only the author of this comment or a teacher of the class can delete it.", {
      code: "FORBIDDEN",
      httpStatus: 403,
      appCode: "comment.not_allowed",
    });
    expect(describeError(error)).toBe("Only the author of this comment or a teacher of the class can delete it.");
    expect(describeError(error)).not.toContain("comment.not_allowed");
    expect(isTransient(error)).toBe(false);
  });

  it("explains a call that got no answer, and treats it as worth retrying", () => {
    const error = apiError("Failed to fetch");
    expect(describeError(error)).toMatch(/can't reach Classroom/);
    expect(isTransient(error)).toBe(true);
    expect(describeError(new Error("boom"))).toBe("Something went wrong. Please try again.");
  });

  it("waits as long as the server asks when rate limited", () => {
    const error = apiError("Slow down", { code: "TOO_MANY_REQUESTS", httpStatus: 429, appCode: "rate.limited", retryAfterSeconds: 2 });
    expect(isTransient(error)).toBe(true);
    expect(retryDelayMs(error, 1)).toBe(2000);
    expect(retryDelayMs(apiError("x"), 3)).toBe(2000);
  });

  it("tells a class that is gone for me from other not-found answers", () => {
    expect(isClassGone(apiError("No class with this id was found.", { code: "NOT_FOUND", httpStatus: 404, appCode: "class.not_found" }))).toBe(true);
    expect(isClassGone(apiError("No message with this id was found.", { code: "NOT_FOUND", httpStatus: 404, appCode: "chat.message_not_found" }))).toBe(false);
    expect(isClassGone(apiError("Failed to fetch"))).toBe(false);
  });
});
