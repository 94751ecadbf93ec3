import { describe, expect, it } from "vitest";
import { counterText, lengthState, refusalText } from "./length.ts";

describe("length against the limit", () => {
  it("counts what is sent: the trimmed text", () => {
    expect(lengthState("  hello  ", 10)).toMatchObject({ length: 5, remaining: 5, near: false, over: false });
  });

  it("shows the counter near the limit and refuses over it", () => {
    expect(lengthState("x".repeat(1799), 2000).near).toBe(false);
    expect(lengthState("x".repeat(1800), 2000)).toMatchObject({ near: true, over: false, remaining: 200 });
    expect(lengthState("x".repeat(2000), 2000)).toMatchObject({ over: false, remaining: 0 });
    expect(lengthState("x".repeat(5000), 2000)).toMatchObject({ near: true, over: true, remaining: -3000 });
  });

  it("says it in words", () => {
    expect(counterText(lengthState("x".repeat(1999), 2000))).toBe("1 character left");
    expect(counterText(lengthState("x".repeat(1800), 2000))).toBe("200 characters left");
    expect(counterText(lengthState("x".repeat(5000), 2000))).toBe("3,000 characters over the limit");
    expect(refusalText(lengthState("x".repeat(5000), 2000), "message")).toBe(
      "This message is too long to send. Shorten it to 2,000 characters or fewer.",
    );
  });
});
