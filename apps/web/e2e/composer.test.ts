/**
 * Writing in the chat, a post and a comment: a counter near the limit and a clear refusal over
 * it (the text is never cut), links that open safely, day separators, drafts that survive a
 * reload. Uses the Chemistry class (see fixtures.ts) and, for a second class, the demo class.
 */
import { MAX_COMMENT_LENGTH, MAX_MESSAGE_LENGTH, MAX_POST_LENGTH } from "@classroom/core/limits";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { POLL_INTERVAL_MS } from "../src/config.ts";
import { launch, message, newPage, openClass, screenshot, send, signIn, until } from "./browser.ts";

const { webUrl, demo, fixtures } = inject("e2e");
const chemistry = fixtures.chemistry.class_name;

let browser: Browser;
let teacher: Page;
let student: Page;

const chatInput = (page: Page) => page.getByLabel("Message the class");
const firstPost = (page: Page) => page.locator("article.post").first();

/** Puts text into the focused field the way a paste does (subject to the field's maxlength, if any). */
async function paste(page: Page, text: string) {
  await page.keyboard.insertText(text);
}

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  student = await newPage(browser);
  await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
  await signIn(student, webUrl, demo.users.student1.email, demo.users.student1.password);
  await openClass(teacher, chemistry);
  await openClass(student, chemistry);
});

afterAll(async () => {
  await browser?.close();
});

describe("the length limit", () => {
  it("counts down near the chat's limit, and refuses a longer paste without cutting it", async () => {
    const before = await student.locator("li.message").count();
    await chatInput(student).click();
    await paste(student, "x".repeat(MAX_MESSAGE_LENGTH - 150));
    expect(await student.locator("#chat-input-count").innerText()).toBe("150 characters left");
    expect(await student.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);

    await chatInput(student).fill("");
    await chatInput(student).click();
    await paste(student, "y".repeat(5000));
    expect((await chatInput(student).inputValue()).length).toBe(5000);
    expect(await student.locator("#chat-input-count").innerText()).toBe("3,000 characters over the limit");
    const refusal = student.locator(".chat").getByRole("alert").filter({ hasText: "too long to send" });
    expect(await refusal.innerText()).toContain(`Shorten it to ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters or fewer`);
    expect(await chatInput(student).getAttribute("aria-invalid")).toBe("true");
    expect(await student.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await chatInput(student).press("Enter");
    await student.waitForTimeout(500);
    expect(await student.locator("li.message").count()).toBe(before);
    expect((await chatInput(student).inputValue()).length).toBe(5000);
    await screenshot(student, "composer-too-long");

    await chatInput(student).fill("");
    expect(await refusal.count()).toBe(0);
  });

  it("refuses an overlong post and an overlong comment the same way", async () => {
    const postField = teacher.getByLabel("Post to the class");
    await postField.click();
    await paste(teacher, "p".repeat(MAX_POST_LENGTH + 1));
    expect((await postField.inputValue()).length).toBe(MAX_POST_LENGTH + 1);
    await teacher.locator(".new-post").getByRole("alert").filter({ hasText: "This post is too long to send" }).waitFor();
    expect(await teacher.getByRole("button", { name: "Post", exact: true }).isDisabled()).toBe(true);
    await postField.fill("");

    await firstPost(student).getByRole("button", { name: /^\d+ comments?/ }).click();
    const commentField = firstPost(student).getByLabel("Write a comment");
    await commentField.click();
    await paste(student, "c".repeat(MAX_COMMENT_LENGTH + 10));
    expect((await commentField.inputValue()).length).toBe(MAX_COMMENT_LENGTH + 10);
    await firstPost(student).getByRole("alert").filter({ hasText: "This comment is too long to send" }).waitFor();
    expect(await firstPost(student).getByRole("button", { name: "Comment", exact: true }).isDisabled()).toBe(true);
    await commentField.fill("");
  });
});

describe("links", () => {
  it("opens http(s) and mail links in a new tab that cannot reach back, and never links javascript:", async () => {
    await teacher.context().route("https://example.org/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>Lab sheet</title>" }));
    const text = "Lab sheet: https://example.org/lab-sheet, questions to mailto:teacher@classroom.test. Not a link: javascript:alert(1) <b>bold</b>";
    await send(student, text);
    const row = message(teacher, "Lab sheet:");
    await row.waitFor({ timeout: 2 * POLL_INTERVAL_MS + 2000 });
    const links = row.locator(".message-text a");
    expect(await links.count()).toBe(2);
    const web = row.getByRole("link", { name: "https://example.org/lab-sheet" });
    expect(await web.getAttribute("href")).toBe("https://example.org/lab-sheet");
    expect(await web.getAttribute("target")).toBe("_blank");
    expect(await web.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await row.getByRole("link", { name: "mailto:teacher@classroom.test" }).getAttribute("href")).toBe("mailto:teacher@classroom.test");
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))) {
      expect(href).toMatch(/^(https?|mailto):/);
    }
    // Markup people type is shown as the characters they typed.
    expect(await row.locator(".message-text b").count()).toBe(0);
    expect(await row.locator(".message-text").innerText()).toContain("javascript:alert(1) <b>bold</b>");

    const [tab] = await Promise.all([teacher.context().waitForEvent("page"), web.click()]);
    await tab.waitForLoadState();
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    expect(await tab.evaluate(() => document.referrer)).toBe("");
    await tab.close();
  });
});

describe("day separators", () => {
  it("puts 'Today' above today's messages", async () => {
    // The fixtures were written at the start of this run (a run across midnight has two days).
    const labels = await teacher.locator("li.day-separator").allInnerTexts();
    expect(labels.at(-1)).toBe("Today");
    expect(new Set(labels).size).toBe(labels.length);
    // It comes before the first message, not after.
    const first = await teacher.locator(".messages > li").first().getAttribute("class");
    expect(first).toBe("day-separator");
  });

  it("says 'Yesterday' for them on the next day, and the date the day after", async () => {
    const later = await newPage(browser);
    try {
      await later.clock.setFixedTime(new Date(Date.now() + 24 * 3600_000));
      await signIn(later, webUrl, demo.users.student2.email, demo.users.student2.password);
      await openClass(later, chemistry);
      expect((await later.locator("li.day-separator").allInnerTexts()).at(-1)).toBe("Yesterday");
      await later.clock.setFixedTime(new Date(Date.now() + 2 * 24 * 3600_000));
      await later.reload();
      await later.locator("li.message").first().waitFor();
      const expected = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" }).format(new Date());
      const label = (await later.locator("li.day-separator").allInnerTexts()).at(-1);
      // A message sent at the very end of a year would carry the year; the date itself is the point.
      expect(label).toContain(expected.split(", ")[1]!);
    } finally {
      await later.context().close();
    }
  });
});

describe("drafts", () => {
  it("keeps a half-written message per class across a reload, and clears it on send", async () => {
    const draft = "Half-written: the endpoint turned pink at";
    await chatInput(student).fill(draft);
    await student.reload();
    await student.locator("li.message").first().waitFor();
    expect(await chatInput(student).inputValue()).toBe(draft);

    // Another class has its own (empty) draft.
    await student.getByRole("link", { name: "My classes" }).first().click();
    await openClass(student, demo.class_name);
    expect(await chatInput(student).inputValue()).toBe("");
    await student.getByRole("link", { name: "My classes" }).first().click();
    await openClass(student, chemistry);
    expect(await chatInput(student).inputValue()).toBe(draft);

    await chatInput(student).press("End");
    await chatInput(student).pressSequentially(" 24.5 mL.");
    await chatInput(student).press("Enter");
    await message(student, `${draft} 24.5 mL.`).waitFor();
    await until(async () => (await message(student, `${draft} 24.5 mL.`).getAttribute("data-status")) ?? "sent", "sent", 5000);
    expect(await chatInput(student).inputValue()).toBe("");
    await student.reload();
    await student.locator("li.message").first().waitFor();
    expect(await chatInput(student).inputValue()).toBe("");
  });

  it("keeps a comment draft per post, and a new post's draft, across a reload", async () => {
    await firstPost(student).getByRole("button", { name: /^\d+ comments?/ }).click();
    await firstPost(student).getByLabel("Write a comment").fill("Do goggles count if");
    await teacher.getByLabel("Post to the class").fill("Reminder: lab coats");
    await Promise.all([student.reload(), teacher.reload()]);

    await firstPost(student).getByRole("button", { name: /^\d+ comments?/ }).click();
    expect(await firstPost(student).getByLabel("Write a comment").inputValue()).toBe("Do goggles count if");
    expect(await teacher.getByLabel("Post to the class").inputValue()).toBe("Reminder: lab coats");

    await firstPost(student).getByLabel("Write a comment").press("End");
    await firstPost(student).getByLabel("Write a comment").pressSequentially(" they are mine?");
    await firstPost(student).getByLabel("Write a comment").press("Enter");
    await firstPost(student).locator("li.comment:not(.comment-pending)", { hasText: "Do goggles count if they are mine?" }).waitFor();
    await student.reload();
    await firstPost(student).getByRole("button", { name: /^\d+ comments?/ }).click();
    expect(await firstPost(student).getByLabel("Write a comment").inputValue()).toBe("");
    await teacher.getByLabel("Post to the class").fill("");
  });

  it("forgets my drafts when I sign out", async () => {
    await chatInput(student).fill("A draft nobody else should see");
    await student.getByRole("button", { name: "Sign out" }).click();
    await signIn(student, webUrl, demo.users.student1.email, demo.users.student1.password);
    await openClass(student, chemistry);
    expect(await chatInput(student).inputValue()).toBe("");
  });
});
