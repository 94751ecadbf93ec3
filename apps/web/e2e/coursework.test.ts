/**
 * Coursework with a teacher and two students in three browser contexts, at 1280×800: the
 * teacher starts a class, the students join it by its code, the teacher assigns work, one
 * student turns it in, the teacher grades and returns it; that student sees the grade and the
 * other does not; the gradebook and its CSV; an announcement reaches the stream; the class's
 * settings (archive, restore, delete). The tests run in order and share the pages.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { horizontalOverflow, launch, newPage, screenshot, signIn, until } from "./browser.ts";

const { webUrl, demo } = inject("e2e");
const { teacher: teacherUser, student1: alexUser, student2: samUser } = demo.users;

const CLASS_NAME = "Geometry 10A";
const TITLE = "Proof of the Pythagorean theorem";
const ANSWER = "Rearrange four copies of the triangle inside a square of side a + b.";
/** The pages poll every few seconds; a change by someone else shows within a few polls. */
const SEEN_WITHIN = 20_000;

let browser: Browser;
let teacher: Page;
let alex: Page;
let sam: Page;
let code = "";

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Class sections" }).getByRole("link", { name, exact: true });
const assignmentLink = (page: Page) => page.getByRole("link", { name: new RegExp(TITLE) });

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  alex = await newPage(browser);
  sam = await newPage(browser);
  await signIn(teacher, webUrl, teacherUser.email, teacherUser.password);
  await signIn(alex, webUrl, alexUser.email, alexUser.password);
  await signIn(sam, webUrl, samUser.email, samUser.password);
});

afterAll(async () => {
  await browser?.close();
});

async function join(page: Page) {
  await page.getByRole("button", { name: "Join class" }).click();
  const dialog = page.getByRole("dialog", { name: "Join a class" });
  await dialog.getByLabel("Class code").fill(code.toLowerCase());
  await dialog.getByRole("button", { name: "Join", exact: true }).click();
  await page.getByRole("heading", { name: CLASS_NAME, level: 1 }).waitFor();
}

describe("coursework", () => {
  it("a teacher starts a class and students join it with its code", async () => {
    await teacher.getByLabel("Class name").fill(CLASS_NAME);
    await teacher.getByRole("button", { name: "Create class" }).click();
    await teacher.getByRole("heading", { name: CLASS_NAME, level: 1 }).waitFor();

    await nav(teacher, "Settings").click();
    await teacher.getByRole("heading", { name: "Class settings" }).waitFor();
    code = (await teacher.locator(".class-code code").innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{7}$/);

    // A wrong code is refused with the reason, in the dialog.
    await alex.getByRole("button", { name: "Join class" }).click();
    const dialog = alex.getByRole("dialog", { name: "Join a class" });
    await dialog.getByLabel("Class code").fill("2222222");
    await dialog.getByRole("button", { name: "Join", exact: true }).click();
    expect(await dialog.getByRole("alert").innerText()).toContain("No class can be joined with this code");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await join(alex);
    await join(sam);
    expect(await alex.locator(".class-head .badge-student").innerText()).toMatch(/student/i);
  });

  it("the teacher assigns work; a draft stays hidden from students", async () => {
    await nav(teacher, "Classwork").click();
    await teacher.getByText("No classwork yet").waitFor();
    await teacher.getByRole("button", { name: "New assignment" }).click();
    await teacher.getByLabel("Title").fill(TITLE);
    await teacher.getByLabel("Instructions (optional)").fill("Any proof you like; explain each step.");
    await teacher.getByLabel("Points").fill("10");
    await teacher.getByLabel("Due (optional)").fill("2099-06-30T23:59");
    await teacher.getByRole("button", { name: "Assign" }).click();
    await assignmentLink(teacher).waitFor();
    expect(await assignmentLink(teacher).innerText()).toContain("10 points");

    await teacher.getByRole("button", { name: "New assignment" }).click();
    await teacher.getByLabel("Title").fill("Draft: next week's quiz");
    await teacher.getByLabel("Not yet (save as draft)").check();
    await teacher.getByRole("button", { name: "Save draft" }).click();
    await teacher.getByRole("link", { name: /Draft: next week's quiz/ }).waitFor();

    await nav(alex, "Classwork").click();
    await assignmentLink(alex).waitFor({ timeout: SEEN_WITHIN });
    expect(await alex.getByRole("link", { name: /next week's quiz/ }).count()).toBe(0);
    await assignmentLink(alex).getByText("Assigned", { exact: true }).waitFor();
    await screenshot(teacher, "coursework-teacher-classwork");
  });

  it("a student turns in work, and can take it back and turn it in again", async () => {
    await assignmentLink(alex).click();
    await alex.getByRole("heading", { name: TITLE }).waitFor();
    await alex.getByLabel("Your answer (optional)").fill(ANSWER);
    await alex.getByRole("button", { name: "Turn in" }).click();
    await alex.getByRole("status").filter({ hasText: "Turned in." }).waitFor();
    await alex.getByRole("button", { name: "Unsubmit" }).click();
    await alex.getByRole("status").filter({ hasText: "Unsubmitted" }).waitFor();
    expect(await alex.getByLabel("Your answer (optional)").inputValue()).toBe(ANSWER);
    await alex.getByRole("button", { name: "Turn in" }).click();
    await alex.getByRole("status").filter({ hasText: "Turned in." }).waitFor();
    await screenshot(alex, "coursework-student-turned-in");
  });

  it("the teacher grades the work and returns it; only that student sees the grade", async () => {
    await assignmentLink(teacher).click();
    const row = teacher.locator("tr", { has: teacher.getByRole("rowheader", { name: alexUser.name }) });
    await row.getByText("Turned in", { exact: true }).waitFor({ timeout: SEEN_WITHIN });
    expect(await row.innerText()).toContain(ANSWER);
    const samRow = teacher.locator("tr", { has: teacher.getByRole("rowheader", { name: samUser.name }) });
    expect(await samRow.innerText()).toContain("Not turned in");

    await teacher.getByLabel(`Grade for ${alexUser.name}`).fill("9");
    await teacher.getByLabel(`Select ${alexUser.name}`).check();
    await teacher.getByRole("button", { name: "Return (1)" }).click();
    await teacher.getByRole("status").filter({ hasText: "Returned to 1 student." }).waitFor();
    await row.getByText("Returned", { exact: true }).waitFor();
    expect(await row.innerText()).toContain("9 / 10");
    await screenshot(teacher, "coursework-teacher-grading");

    await alex.getByText("Grade: 9 / 10").waitFor({ timeout: SEEN_WITHIN });
    await alex.getByRole("link", { name: "Classwork" }).first().click();
    await assignmentLink(alex).getByText("9 / 10").waitFor();

    await nav(sam, "Classwork").click();
    await assignmentLink(sam).click();
    await sam.getByRole("heading", { name: "Your work" }).waitFor();
    await sam.getByRole("button", { name: "Turn in" }).waitFor();
    expect(await sam.getByText(/Grade:/).count()).toBe(0);
    expect(await sam.locator(".your-work").innerText()).not.toContain(ANSWER);
  });

  it("fits a phone: a student's classwork and assignment at 390×844, nothing sticking out sideways", async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone, webUrl, alexUser.email, alexUser.password);
      await phone.getByRole("link", { name: new RegExp(CLASS_NAME) }).click();
      await nav(phone, "Classwork").click();
      await assignmentLink(phone).waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      await assignmentLink(phone).click();
      await phone.getByText("Grade: 9 / 10").waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      await screenshot(phone, "coursework-phone-assignment");
    } finally {
      await phone.context().close();
    }
  });

  it("a student's To do sorts work across classes into assigned, missing and done", async () => {
    await sam.getByRole("link", { name: "My classes" }).first().click();
    await sam.getByRole("link", { name: "To do" }).click();
    await sam.getByRole("heading", { name: "To do", level: 1 }).waitFor();
    const assigned = sam.getByRole("list", { name: "Assigned" });
    await assigned.getByRole("link", { name: new RegExp(TITLE) }).waitFor();
    expect(await assigned.getByRole("link", { name: new RegExp(TITLE) }).innerText()).toContain(CLASS_NAME);
    // The demo class's worksheet is Sam's too; its lab report came back to Alex only.
    expect(await sam.getByRole("link", { name: /Photosynthesis worksheet/ }).count()).toBe(1);
    await assigned.getByRole("link", { name: new RegExp(TITLE) }).click();
    await sam.getByRole("heading", { name: CLASS_NAME, level: 1 }).waitFor();

    await alex.getByRole("link", { name: "My classes" }).first().click();
    await alex.getByRole("link", { name: "To do" }).click();
    const done = alex.getByRole("list", { name: "Done" });
    await done.getByRole("link", { name: new RegExp(TITLE) }).getByText("9 / 10").waitFor();
    await done.getByRole("link", { name: new RegExp(TITLE) }).click();
    await alex.getByRole("heading", { name: CLASS_NAME, level: 1 }).waitFor();
  });

  it("the gradebook shows the grades and averages, and downloads as CSV", async () => {
    await nav(teacher, "Grades").click();
    const table = teacher.getByRole("table", { name: /Grades of every student/ });
    await table.waitFor();
    const alexRow = table.locator("tr", { has: teacher.getByRole("rowheader", { name: new RegExp(alexUser.name) }) });
    expect(await alexRow.innerText()).toContain("90%");
    expect(await alexRow.innerText()).toContain("9");

    const [download] = await Promise.all([teacher.waitForEvent("download"), teacher.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await download.path(), "utf8");
    expect(csv).toContain(`${TITLE} (/10)`);
    expect(csv).toMatch(new RegExp(`${alexUser.name},${alexUser.email},90,9`));
    await screenshot(teacher, "coursework-gradebook");

    // Students have no Grades or Settings.
    expect(await nav(alex, "Grades").count()).toBe(0);
    expect(await nav(alex, "Settings").count()).toBe(0);
  });

  it("an announcement reaches the students' stream", async () => {
    const text = "Quiz on triangles next Tuesday: bring a compass.";
    await nav(teacher, "Stream & chat").click();
    await teacher.getByLabel("Post to the class").fill(text);
    await teacher.getByRole("button", { name: "Post", exact: true }).click();
    await teacher.locator("article.post", { hasText: text }).waitFor();

    await nav(alex, "Stream & chat").click();
    await nav(sam, "Stream & chat").click();
    await alex.locator("article.post", { hasText: text }).waitFor({ timeout: SEEN_WITHIN });
    await sam.locator("article.post", { hasText: text }).waitFor({ timeout: SEEN_WITHIN });
  });

  it("the teacher archives the class (read-only for all), restores it, then deletes it", async () => {
    await nav(teacher, "Settings").click();
    await teacher.getByRole("button", { name: "Archive class" }).click();
    await teacher.getByRole("dialog").getByRole("button", { name: "Archive class" }).click();
    await teacher.getByRole("status").filter({ hasText: "The class is archived." }).waitFor();

    await nav(alex, "Classwork").click();
    await alex.getByRole("note").filter({ hasText: "This class is archived" }).waitFor({ timeout: SEEN_WITHIN });

    await teacher.getByRole("button", { name: "Restore class" }).click();
    await teacher.getByRole("status").filter({ hasText: "The class is active again." }).waitFor();

    await teacher.getByRole("button", { name: "Delete class" }).click();
    await teacher.getByRole("dialog").getByRole("button", { name: "Delete class" }).click();
    await teacher.getByRole("heading", { name: "My classes" }).waitFor();
    await teacher.getByRole("list", { name: "Classes" }).waitFor();
    await until(() => teacher.getByRole("link", { name: new RegExp(CLASS_NAME) }).count(), 0, 10_000);
    await alex.reload();
    await alex.getByText("This class doesn't exist, or you're not a member of it.").waitFor();
  });
});
