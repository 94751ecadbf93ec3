/**
 * The bell and the unread badges, with a teacher and a student in two browser contexts: the
 * student is told about a new assignment, a returned grade and an announcement; opening one
 * goes to it and lowers the count; "Mark all read" clears it; a chat message shows as unread
 * on the class list until the student has seen it. Notifications travel through the table's
 * stream, the event bus and the notifier, so each arrives a moment after its write.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, newPage, screenshot, send, signIn, until } from "./browser.ts";

const { webUrl, demo } = inject("e2e");
const { teacher: teacherUser, student2: samUser } = demo.users;

const CLASS_NAME = "Music 6B";
const TITLE = "Rhythm worksheet";
const ANNOUNCEMENT = "Choir rehearsal moves to the hall on Thursday.";
/** Through the stream, the bus and the notifier, then the next poll (15 s on the class list). */
const ARRIVES_WITHIN = 40_000;

let browser: Browser;
let teacher: Page;
let sam: Page;

const bell = (page: Page) => page.getByRole("button", { name: /^Notifications/ });
/** The bell's badge as a number (0 when there is none; "99+" reads as 100). */
const badge = async (page: Page) => {
  const [text] = await page.locator(".bell-badge").allInnerTexts();
  return text ? Number.parseInt(text, 10) + (text.endsWith("+") ? 1 : 0) : 0;
};
const item = (page: Page, text: string | RegExp) => page.getByRole("region", { name: "Notifications" }).getByRole("button", { name: text });
const isUnread = (button: Locator) => button.evaluate((el) => el.classList.contains("notification-unread"));

/**
 * After opening a notification: the bell lists it as read, and its badge counts exactly the
 * unread ones it lists. (Other notifications may still be arriving, so the badge is compared
 * with the list rather than with a number from before.)
 */
async function expectOpenedAndCounted(page: Page, text: string | RegExp) {
  await bell(page).click();
  const opened = item(page, text);
  await until(() => isUnread(opened), false, 15_000);
  await until(async () => (await badge(page)) === (await page.locator(".notification-unread").count()), true, 15_000);
  await page.keyboard.press("Escape");
}

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Class sections" }).getByRole("link", { name, exact: true });

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  sam = await newPage(browser);
  await signIn(teacher, webUrl, teacherUser.email, teacherUser.password);
  await signIn(sam, webUrl, samUser.email, samUser.password);
});

afterAll(async () => {
  await browser?.close();
});

describe("notifications", () => {
  it("start from a clean slate: Mark all read clears the badge", async () => {
    await bell(sam).click();
    const markAll = sam.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await until(() => badge(sam), 0, 10_000);
    await sam.keyboard.press("Escape");
    expect(await sam.getByRole("region", { name: "Notifications" }).count()).toBe(0);
  });

  it("a new assignment rings the bell; opening it goes to the assignment and lowers the count", async () => {
    await teacher.getByLabel("Class name").fill(CLASS_NAME);
    await teacher.getByRole("button", { name: "Create class" }).click();
    await nav(teacher, "Settings").click();
    const code = (await teacher.locator(".class-code code").innerText()).trim();

    await sam.getByRole("button", { name: "Join class" }).click();
    await sam.getByLabel("Class code").fill(code);
    await sam.getByRole("button", { name: "Join", exact: true }).click();
    await sam.getByRole("heading", { name: CLASS_NAME, level: 1 }).waitFor();
    await sam.getByRole("link", { name: "My classes" }).first().click();
    await sam.getByRole("heading", { name: "My classes" }).waitFor();

    await nav(teacher, "Classwork").click();
    await teacher.getByRole("button", { name: "New assignment" }).click();
    await teacher.getByLabel("Title").fill(TITLE);
    await teacher.getByLabel("Points").fill("10");
    await teacher.getByRole("button", { name: "Assign" }).click();
    await teacher.getByRole("link", { name: new RegExp(TITLE) }).waitFor();

    // Arrives through the pipeline; the open list refreshes when the count grows.
    await bell(sam).click();
    const added = item(sam, `New assignment: ${TITLE}`);
    await added.waitFor({ timeout: ARRIVES_WITHIN });
    expect(await isUnread(added)).toBe(true);
    // The badge catches up with the list it opened (the list is fetched when the bell opens).
    await until(async () => /^Notifications, \d+ unread$/.test((await bell(sam).getAttribute("aria-label")) ?? ""), true, 10_000);
    expect(await sam.title()).toMatch(/^\(\d+\) Classroom$/);
    await screenshot(sam, "notifications-bell");
    await added.click();
    await sam.getByRole("heading", { name: TITLE }).waitFor();
    await expectOpenedAndCounted(sam, `New assignment: ${TITLE}`);

    await sam.getByLabel("Your answer (optional)").fill("Bars 1 to 8 clapped and counted.");
    await sam.getByRole("button", { name: "Turn in" }).click();
    await sam.getByRole("status").filter({ hasText: "Turned in." }).waitFor();
  });

  it("a returned grade and an announcement reach the student; each opens what it is about", async () => {
    await teacher.getByRole("link", { name: new RegExp(TITLE) }).click();
    const row = teacher.locator("tr", { has: teacher.getByRole("rowheader", { name: samUser.name }) });
    await row.getByText("Turned in", { exact: true }).waitFor({ timeout: 20_000 });
    await teacher.getByLabel(`Grade for ${samUser.name}`).fill("8");
    await teacher.getByLabel(`Select ${samUser.name}`).check();
    await teacher.getByRole("button", { name: "Return (1)" }).click();
    await teacher.getByRole("status").filter({ hasText: "Returned to 1 student." }).waitFor();

    await nav(teacher, "Stream & chat").click();
    await teacher.getByLabel("Post to the class").fill(ANNOUNCEMENT);
    await teacher.getByRole("button", { name: "Post", exact: true }).click();
    await teacher.locator("article.post", { hasText: ANNOUNCEMENT }).waitFor();

    await bell(sam).click();
    const graded = item(sam, new RegExp(`Grade returned: ${TITLE}`));
    await graded.waitFor({ timeout: ARRIVES_WITHIN });
    expect(await graded.innerText()).toContain("8 / 10");
    await graded.click();
    await sam.getByText("Grade: 8 / 10").waitFor();
    await expectOpenedAndCounted(sam, new RegExp(`Grade returned: ${TITLE}`));

    // Other browser tests run at the same time with the same people, so the announcement is
    // told apart from theirs by its text.
    const announcement = new RegExp(`Announcement from ${teacherUser.name}.*${ANNOUNCEMENT.slice(0, 20)}`);
    await bell(sam).click();
    const announced = item(sam, announcement);
    await announced.waitFor({ timeout: ARRIVES_WITHIN });
    await announced.click();
    const post = sam.locator("article.post", { hasText: ANNOUNCEMENT });
    await post.waitFor();
    expect(await post.isVisible()).toBe(true);
    await expectOpenedAndCounted(sam, announcement);
  });

  it("a chat message shows as unread on the class list until the student has seen it", async () => {
    await sam.getByRole("link", { name: "My classes" }).first().click();
    await sam.getByRole("heading", { name: "My classes" }).waitFor();
    await send(teacher, "Warm-up starts at 9 sharp.");

    const card = sam.getByRole("link", { name: new RegExp(CLASS_NAME) });
    const unread = card.getByLabel("1 unread message");
    await unread.waitFor({ timeout: ARRIVES_WITHIN });
    expect(await sam.title()).toMatch(/^\(\d+\) Classroom$/);

    await card.click();
    await sam.locator("li.message", { hasText: "Warm-up starts at 9 sharp." }).waitFor();
    await sam.waitForTimeout(1000); // the read marker is written once the message is on screen
    await sam.getByRole("link", { name: "My classes" }).first().click();
    await sam.getByRole("heading", { name: "My classes" }).waitFor();
    expect(await card.locator(".unread-chat").count()).toBe(0);
  });

  it("Mark all read clears what is left", async () => {
    await bell(sam).click();
    await sam.getByRole("button", { name: "Mark all read" }).click();
    await until(() => badge(sam), 0, 10_000);
    expect(await bell(sam).getAttribute("aria-label")).toBe("Notifications");
  });
});
