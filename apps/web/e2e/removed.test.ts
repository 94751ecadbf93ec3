/**
 * A student removed while the class is open: at the next poll the page says so, shows none of
 * the class any more, and stops asking the API. Uses the Physics class and its student Riley
 * (see fixtures.ts).
 *
 * When the poll is refused depends on the server: a poll may rely on a membership it checked
 * within MEMBERSHIP_CACHE_MS, but the process that removes a member forgets that member at once,
 * which is the case for the single local API here, so the next poll is refused. The test allows
 * the cache's full time so it only fails when the page does not react to the refusal.
 */
import { MEMBERSHIP_CACHE_MS } from "@classroom/core/membership";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { POLL_INTERVAL_MS } from "../src/config.ts";
import { launch, newPage, openClass, screenshot, signIn } from "./browser.ts";

const { webUrl, demo, fixtures } = inject("e2e");
const { class_name } = fixtures.physics;
const riley = fixtures.users.riley;

let browser: Browser;
let teacher: Page;
let student: Page;

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  student = await newPage(browser);
  await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
  await signIn(student, webUrl, riley.email, riley.password);
  await openClass(teacher, class_name);
  await openClass(student, class_name);
});

afterAll(async () => {
  await browser?.close();
});

describe("a member removed while the class is open", () => {
  it("sees 'You were removed from this class' at the next poll, no history, and no more polling", async () => {
    await student.getByText("Do we show our working for problem 7?").waitFor();
    const requests: Array<{ url: string; at: number }> = [];
    const onRequest = (request: Request) => requests.push({ url: request.url(), at: Date.now() });
    student.on("request", onRequest);

    await teacher.getByRole("button", { name: /^Members/ }).click();
    await teacher.getByRole("button", { name: "Remove Riley Park from the class" }).click();
    await teacher.getByRole("dialog", { name: "Remove from class?" }).getByRole("button", { name: "Remove" }).click();
    await teacher.locator("#members-panel").getByText("Riley Park").waitFor({ state: "detached" });
    const removedAt = Date.now();

    await student.getByRole("heading", { name: "You were removed from this class" }).waitFor({ timeout: MEMBERSHIP_CACHE_MS + 2 * POLL_INTERVAL_MS });
    const noticedAfter = Date.now() - removedAt;
    await screenshot(student, "removed-student");
    expect(await student.locator("li.message").count()).toBe(0);
    expect(await student.getByText("Do we show our working for problem 7?").count()).toBe(0);
    expect(await student.getByLabel("Message the class").count()).toBe(0);
    expect(await student.getByText("Reconnecting…").count()).toBe(0);

    const stoppedAt = Date.now();
    await student.waitForTimeout(2 * POLL_INTERVAL_MS + 500);
    student.off("request", onRequest);
    expect(requests.filter((r) => r.at > stoppedAt && r.url.includes("/trpc/")).map((r) => r.url)).toEqual([]);
    console.log(`removal noticed ${noticedAfter} ms after the teacher removed the student`);

    // The way back leads to a class list without the class.
    await student.getByRole("link", { name: "My classes" }).first().click();
    await student.getByRole("heading", { name: "My classes" }).waitFor();
    await student.getByRole("link", { name: new RegExp(fixtures.physics.class_name) }).waitFor({ state: "detached" });
  });
});
