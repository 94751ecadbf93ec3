/**
 * The teacher's activity page: the last 30 days as a chart with its numbers, and the audit trail
 * a page at a time. Students see no way in, and are refused at the address. Uses the Chemistry
 * class (its fixture chat alone fills more than one page of the trail, see fixtures.ts).
 */
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, message, newPage, openClass, screenshot, send, signIn, until } from "./browser.ts";

const { webUrl, demo, fixtures } = inject("e2e");
const { class_id, class_name } = fixtures.chemistry;

let browser: Browser;
let teacher: Page;
let student: Page;

const events = (page: Page) => page.locator("li.audit-event");

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  student = await newPage(browser);
  await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
  await signIn(student, webUrl, demo.users.student2.email, demo.users.student2.password);
  await openClass(teacher, class_name);
  await openClass(student, class_name);
});

afterAll(async () => {
  await browser?.close();
});

describe("the activity page", () => {
  it("is reached by teachers only", async () => {
    expect(await student.getByRole("link", { name: "Activity" }).count()).toBe(0);
    const audit: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().includes("audit.")) audit.push(request.url());
    };
    student.on("request", onRequest);
    await student.goto(`${webUrl}#/class/${class_id}/activity`);
    await student.getByText("Only teachers of this class can see its activity.").waitFor();
    student.off("request", onRequest);
    expect(audit).toEqual([]);
  });

  it("shows the last 30 days as a chart with the numbers, and the audit trail page by page", async () => {
    const text = "Activity check: titration results are due Friday.";
    await send(teacher, text);
    await until(async () => (await message(teacher, text).getAttribute("data-status")) ?? "sent", "sent", 5000);

    await teacher.getByRole("link", { name: "Activity" }).click();
    await teacher.getByRole("heading", { name: `Activity in ${class_name}`, level: 1 }).waitFor();

    // The stream feeds the trail a moment after the write (longer while the stack is still
    // working through the fixtures); the page refreshes itself, a reload is quicker.
    const quote = teacher.locator("li.audit-event", { hasText: text });
    const deadline = Date.now() + 30_000;
    while ((await quote.count()) === 0 && Date.now() < deadline) {
      await teacher.waitForTimeout(2000);
      if ((await quote.count()) === 0) await teacher.reload();
      await teacher.locator("li.audit-event, .state").first().waitFor();
    }
    expect(await quote.first().innerText()).toContain("Ms. Rivera");
    expect(await quote.first().innerText()).toContain("message sent");

    const chart = teacher.getByRole("img", { name: /Daily activity over the last 30 days/ });
    await chart.locator("canvas").waitFor();
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(150);
    const sent = Number(await teacher.locator(".stat-totals div", { hasText: "Messages sent" }).locator("dd").innerText());
    expect(sent).toBeGreaterThanOrEqual(25); // 24 fixture messages and the one above

    await teacher.getByText("The numbers per day").click();
    const rows = teacher.locator(".stat-table tbody tr");
    expect(await rows.count()).toBe(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(await rows.first().locator("th").innerText()).toBe(today);
    // All of it today, unless this run crossed midnight (UTC).
    expect(Number(await rows.first().locator("td").first().innerText())).toBeGreaterThanOrEqual(1);
    await screenshot(teacher, "activity-teacher");

    // Pages: the first 25, then older ones, each event once.
    expect(await events(teacher).count()).toBe(25);
    await teacher.getByRole("button", { name: "Show older events" }).click();
    await until(async () => (await events(teacher).count()) > 25, true, 5000);
    const ids = await events(teacher).allInnerTexts();
    expect(ids.length).toBeGreaterThan(25);
    expect(await teacher.locator("li.audit-event", { hasText: "class created" }).count()).toBe(1);
  });
});
