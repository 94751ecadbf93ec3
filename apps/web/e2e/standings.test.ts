/**
 * Standings in the browser, on the demo class (whose seed returned Alex's lab report graded
 * 92/100): the teacher's Grades tab ranks Alex as a top performer; Alex sees their own average
 * on Classwork, and their rank only once the teacher lets students see ranks (put back after).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, newPage, openClass, screenshot, signIn } from "./browser.ts";

const { webUrl, demo } = inject("e2e");
const { teacher: teacherUser, student1: alexUser } = demo.users;

let browser: Browser;
let teacher: Page;
let alex: Page;

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Class sections" }).getByRole("link", { name, exact: true });
const rankSetting = (page: Page) => page.getByLabel("Show students their rank");

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  alex = await newPage(browser);
  await signIn(teacher, webUrl, teacherUser.email, teacherUser.password);
  await signIn(alex, webUrl, alexUser.email, alexUser.password);
  await openClass(teacher, demo.class_name);
  await openClass(alex, demo.class_name);
});

afterAll(async () => {
  if (teacher && (await rankSetting(teacher).isChecked().catch(() => false))) await rankSetting(teacher).uncheck();
  await browser?.close();
});

describe("standings", () => {
  it("ranks students on the teacher's Grades tab, top performers marked", async () => {
    await nav(teacher, "Grades").click();
    const ranking = teacher.getByRole("list", { name: "Students by average" });
    const alexRow = ranking.getByRole("listitem").filter({ hasText: alexUser.name });
    await alexRow.waitFor();
    expect(await alexRow.innerText()).toContain("92%");
    expect(await alexRow.innerText()).toMatch(/top performer/i);
    await screenshot(teacher, "standings-ranking");
  });

  it("shows a student their own average, and their rank once the class shows ranks", async () => {
    await nav(alex, "Classwork").click();
    const mine = alex.getByLabel("Your average");
    await mine.waitFor();
    expect(await mine.innerText()).toContain("Your average: 92%");
    expect(await mine.innerText()).not.toContain("in the class");

    await rankSetting(teacher).check();
    await expect.poll(() => rankSetting(teacher).isChecked()).toBe(true);
    await alex.reload();
    await alex.getByLabel("Your average").getByText(/1st of \d+ in the class/).waitFor({ timeout: 20_000 });
    await rankSetting(teacher).uncheck();
  });
});
