/**
 * The local bus's pattern matching against the examples of EventBridge's documentation
 * ("Content filtering in Amazon EventBridge event patterns" and "Comparison operators"),
 * and the app's own rules against the events Classroom publishes.
 */
import * as Notification from "@classroom/core/notification";
import { describe, expect, it } from "vitest";
import { type Pattern, matches } from "../src/event-pattern.ts";

const event = (detail: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail,
  ...extra,
});

describe("EventBridge pattern semantics (documentation examples)", () => {
  it("matches exact values, with OR inside a field's list and AND across fields", () => {
    const pattern: Pattern = { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["running", "stopped"] } };
    expect(matches(pattern, event({ state: "running" }))).toBe(true);
    expect(matches(pattern, event({ state: "stopped" }))).toBe(true);
    expect(matches(pattern, event({ state: "pending" }))).toBe(false);
    expect(matches(pattern, event({ state: "running" }, { source: "aws.s3" }))).toBe(false);
  });

  it("matches a value in an array of the event when any element matches", () => {
    expect(matches({ resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"] }, event({}))).toBe(true);
    expect(matches({ resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-other"] }, event({}))).toBe(false);
  });

  it("prefix: time starting with 2017-10-02", () => {
    const pattern: Pattern = { time: [{ prefix: "2017-10-02" }] };
    expect(matches(pattern, event({}, { time: "2017-10-02T18:43:48Z" }))).toBe(true);
    expect(matches(pattern, event({}, { time: "2017-10-03T18:43:48Z" }))).toBe(false);
    expect(matches({ detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, event({ service: "eventbridge" }))).toBe(true);
  });

  it("suffix: FileName ending with .png", () => {
    const pattern: Pattern = { detail: { FileName: [{ suffix: ".png" }] } };
    expect(matches(pattern, event({ FileName: "photo.png" }))).toBe(true);
    expect(matches(pattern, event({ FileName: "photo.jpg" }))).toBe(false);
  });

  it("anything-but: a string, a number, a list, and a prefix", () => {
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, event({ state: "running" }))).toBe(true);
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, event({ state: "initializing" }))).toBe(false);
    expect(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, event({ "x-limit": 456 }))).toBe(true);
    expect(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, event({ "x-limit": 123 }))).toBe(false);
    const list: Pattern = { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } };
    expect(matches(list, event({ state: "running" }))).toBe(true);
    expect(matches(list, event({ state: "overloaded" }))).toBe(false);
    const region: Pattern = { detail: { Region: [{ "anything-but": { prefix: "us-" } }] } };
    expect(matches(region, event({ Region: "eu-west-1" }))).toBe(true);
    expect(matches(region, event({ Region: "us-east-1" }))).toBe(false);
    // A field the event does not have matches no anything-but.
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, event({}))).toBe(false);
  });

  it("numeric: c-count > 0 and <= 5, d-count < 10, x-limit = 3.018e2", () => {
    const pattern: Pattern = {
      detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] },
    };
    expect(matches(pattern, event({ "c-count": 5, "d-count": 7, "x-limit": 301.8 }))).toBe(true);
    expect(matches(pattern, event({ "c-count": 0, "d-count": 7, "x-limit": 301.8 }))).toBe(false);
    expect(matches(pattern, event({ "c-count": 5, "d-count": 10, "x-limit": 301.8 }))).toBe(false);
    // Numeric matching applies to numbers only.
    expect(matches(pattern, event({ "c-count": "5", "d-count": 7, "x-limit": 301.8 }))).toBe(false);
  });

  it("exists: a field present (true) or absent (false)", () => {
    expect(matches({ detail: { state: [{ exists: true }] } }, event({ state: "running" }))).toBe(true);
    expect(matches({ detail: { state: [{ exists: true }] } }, event({}))).toBe(false);
    expect(matches({ detail: { state: [{ exists: false }] } }, event({}))).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, event({ state: "running" }))).toBe(false);
  });

  it("needs an object where the pattern nests one", () => {
    expect(matches({ detail: { state: ["running"] } }, { detail: "running" })).toBe(false);
    expect(matches({ detail: { state: ["running"] } }, {})).toBe(false);
  });
});

describe("Classroom's rules", () => {
  const published = (type: string, detail: Record<string, unknown>) => ({ source: Notification.EVENT_SOURCE, "detail-type": type, detail });
  const routed = (e: Record<string, unknown>) => Notification.rules.filter((rule) => matches(rule.pattern as Pattern, e)).map((rule) => rule.name);

  it("route each kind of event to exactly one rule, and drop what is not ours or malformed", () => {
    const common = { event_id: "e1:x", class_id: "c1", at: "2026-11-25T09:00:00.000Z" };
    expect(routed(published("grade.returned", { ...common, student_id: "s1", assigned_grade: 0 }))).toEqual(["grade-returned"]);
    for (const type of Notification.EVENT_TYPES.filter((t) => t !== "grade.returned")) {
      expect(routed(published(type, common)), type).toEqual(["class-activity"]);
    }
    expect(routed(published("grade.returned", { ...common, student_id: "s1", assigned_grade: "A" }))).toEqual([]);
    expect(routed(published("grade.returned", { ...common, assigned_grade: 9 }))).toEqual([]);
    expect(routed({ source: "aws.ec2", "detail-type": "comment.created", detail: common })).toEqual([]);
    expect(routed(published("comment.created", { at: common.at }))).toEqual([]);
  });
});
