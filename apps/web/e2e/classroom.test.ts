/**
 * A teacher and a student in two browser contexts, against the real stack (see global-setup.ts).
 * The tests run in order and share the two signed-in pages, like two people in one lesson;
 * the stack is fresh for each run, so message texts are unique without random suffixes.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { POLL_INTERVAL_MS, SEND_ATTEMPTS } from "../src/config.ts";
import { launch, newPage, screenshot, signIn } from "./browser.ts";

const { webUrl, demo } = inject("e2e");
const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "../docs");
const classUrl = `${webUrl}#/class/${demo.class_id}`;

let browser: Browser;
let teacher: Page;
let student: Page;

const message = (page: Page, text: string) => page.locator("li.message", { hasText: text });
const reaction = (row: Locator, type: "like" | "heart") => row.locator(`button[data-reaction="${type}"]`);
const firstPost = (page: Page) => page.locator("article.post").first();
const commentCount = (page: Page) => firstPost(page).locator(".comment-count");

async function openClass(page: Page) {
  await page.getByRole("link", { name: new RegExp(demo.class_name) }).click();
  await page.getByRole("heading", { name: demo.class_name, level: 1 }).waitFor();
  await page.locator("li.message").first().waitFor();
}

async function send(page: Page, text: string) {
  await page.getByLabel("Message the class").fill(text);
  await page.getByLabel("Message the class").press("Enter");
}

/** Waits until `read()` returns `want`; fails after `timeout` ms with the last value seen. */
async function until<T>(read: () => Promise<T>, want: T, timeout: number): Promise<number> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < timeout) {
    last = await read();
    if (last === want) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${String(want)} within ${timeout} ms, last saw ${String(last)}`);
}

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  student = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

describe("Classroom in the browser", () => {
  it("signs in and lists my classes", async () => {
    await teacher.goto(webUrl);
    await teacher.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(teacher, "01-sign-in");

    await teacher.getByLabel("School email").fill(demo.users.teacher.email);
    await teacher.getByLabel("Password").fill("not-the-password");
    await teacher.getByRole("button", { name: "Sign in" }).click();
    await teacher.getByRole("alert").filter({ hasText: "don't match" }).waitFor();

    await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
    await teacher.getByRole("link", { name: new RegExp(demo.class_name) }).waitFor();
    await screenshot(teacher, "02-my-classes");

    await signIn(student, webUrl, demo.users.student1.email, demo.users.student1.password);
    await openClass(teacher);
    await openClass(student);
  });

  it("keeps the session across a reload", async () => {
    await student.reload();
    await student.getByRole("heading", { name: demo.class_name, level: 1 }).waitFor();
  });

  it("shows the student's message in the teacher's chat within two poll intervals", async () => {
    const text = "Can we use a microscope for the lab?";
    await send(student, text);
    const sentAt = Date.now();
    await message(student, text).waitFor();
    await message(teacher, text).waitFor({ timeout: 2 * POLL_INTERVAL_MS });
    const elapsed = Date.now() - sentAt;
    expect(elapsed).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);
    // Polls keep running: the message is still there once, not twice.
    await teacher.waitForTimeout(POLL_INTERVAL_MS + 500);
    expect(await message(teacher, text).count()).toBe(1);
    expect(await message(student, text).count()).toBe(1);
    await screenshot(teacher, "03-class-teacher");
  });

  it("shows a like by one to the other, and whether I reacted", async () => {
    const text = "Can we use a microscope for the lab?";
    const teacherRow = message(teacher, text);
    const studentRow = message(student, text);
    await reaction(teacherRow, "like").click();
    // Optimistic: at once for the teacher.
    await until(() => reaction(teacherRow, "like").getAttribute("aria-pressed"), "true", 2000);
    expect(await reaction(teacherRow, "like").innerText()).toContain("1");
    // The student sees the count, not as their own reaction.
    await until(() => reaction(studentRow, "like").locator(".reaction-count").innerText(), "1", 2 * POLL_INTERVAL_MS + 2000);
    expect(await reaction(studentRow, "like").getAttribute("aria-pressed")).toBe("false");

    await reaction(studentRow, "heart").click();
    await until(() => reaction(teacherRow, "heart").locator(".reaction-count").innerText(), "1", 2 * POLL_INTERVAL_MS + 2000);
    expect(await reaction(teacherRow, "heart").getAttribute("aria-pressed")).toBe("false");
    // Reconciled with the server: after the poll refreshes, the teacher's like still counts once.
    expect(await reaction(teacherRow, "like").locator(".reaction-count").innerText()).toBe("1");
    expect(await reaction(teacherRow, "like").getAttribute("aria-pressed")).toBe("true");
  });

  it("slows polling to the hidden pace (15 s) while the tab is hidden and polls at once when it is visible again", async () => {
    const polls: number[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes("chat.poll")) polls.push(Date.now());
    };
    student.on("request", onRequest);
    const setVisibility = (state: "hidden" | "visible") =>
      student.evaluate((value) => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
        document.dispatchEvent(new Event("visibilitychange"));
      }, state);
    try {
      await setVisibility("hidden");
      const hiddenAt = Date.now();
      const text = "Reminder: bring your lab notebook on Thursday.";
      await send(teacher, text);
      await student.waitForTimeout(2 * POLL_INTERVAL_MS + 500);
      expect(polls.filter((t) => t > hiddenAt + 500)).toEqual([]); // at most one poll was already on its way
      expect(await message(student, text).count()).toBe(0);

      await setVisibility("visible");
      const shownAt = Date.now();
      await message(student, text).waitFor({ timeout: 1500 });
      expect(polls.some((t) => t >= shownAt && t - shownAt < 1000)).toBe(true);
    } finally {
      student.off("request", onRequest);
    }
  });

  it("marks a message that cannot be sent as failed, and Retry sends it once", async () => {
    const text = "Sorry, my connection dropped. Is the quiz on Friday?";
    const blocked = "**/trpc/chat.send*";
    await student.route(blocked, (route) => route.abort("internetdisconnected"));
    await send(student, text);
    const row = message(student, text);
    expect(await row.getAttribute("data-status")).toBe("sending");
    await row.getByRole("button", { name: "Retry" }).waitFor({ timeout: SEND_ATTEMPTS * 5000 });
    expect(await row.innerText()).toContain("Not sent");

    await student.unroute(blocked);
    await row.getByRole("button", { name: "Retry" }).click();
    await until(async () => (await message(student, text).getAttribute("data-status")) ?? "sent", "sent", 5000);
    await message(teacher, text).waitFor({ timeout: 2 * POLL_INTERVAL_MS });
    await teacher.waitForTimeout(POLL_INTERVAL_MS);
    expect(await message(teacher, text).count()).toBe(1);
    expect(await message(student, text).count()).toBe(1);
  });

  it("never shows a message twice when the answer to a send is lost", async () => {
    const text = "Can I hand in the report as a PDF?";
    const pattern = "**/trpc/chat.send*";
    let dropped = 0;
    await student.route(pattern, async (route) => {
      if (dropped < 2) {
        dropped++;
        await route.fetch(); // the server stores the message...
        await route.abort("connectionreset"); // ...but the browser never hears back
        return;
      }
      await route.continue();
    });
    await send(student, text);
    await message(teacher, text).waitFor({ timeout: 2 * POLL_INTERVAL_MS + 5000 });
    await until(async () => (await message(student, text).getAttribute("data-status")) ?? "sent", "sent", 10_000);
    await student.unroute(pattern);
    await teacher.waitForTimeout(POLL_INTERVAL_MS);
    expect(dropped).toBe(2);
    expect(await message(teacher, text).count()).toBe(1);
    expect(await message(student, text).count()).toBe(1);
  });

  it("updates comment counts at once, and the teacher's delete drops the count for both", async () => {
    await firstPost(student).getByRole("button", { name: /^\d+ comments?/ }).click();
    const before = Number((await commentCount(student).innerText()).split(" ")[0]);
    const text = "I can bring extra safety glasses.";
    const input = firstPost(student).getByLabel("Write a comment");
    await input.fill(text);
    // Hold the request, so the count can only come from the optimistic update.
    const pattern = "**/trpc/*comment.create*";
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let forwarded: Promise<void> | undefined;
    await student.route(pattern, (route) => (forwarded = held.then(() => route.continue())));
    await input.press("Enter");
    await until(() => commentCount(student).innerText(), `${before + 1} comments`, 2000);
    release();
    await forwarded;
    await student.unroute(pattern);
    await firstPost(student).locator("li.comment", { hasText: text }).waitFor();
    await screenshot(student, "04-stream-student");

    await until(() => commentCount(teacher).innerText(), `${before + 1} comments`, 2 * POLL_INTERVAL_MS + 2000);
    await firstPost(teacher).getByRole("button", { name: /^\d+ comments?/ }).click();
    const comment = firstPost(teacher).locator("li.comment", { hasText: text });
    await comment.getByRole("button", { name: /Delete comment by Alex Kim/ }).click();
    const dialog = teacher.getByRole("dialog", { name: "Delete this comment?" });
    await dialog.waitFor();
    await screenshot(teacher, "05-confirm-delete");
    await dialog.getByRole("button", { name: "Delete comment" }).click();

    await until(() => commentCount(teacher).innerText(), `${before} comments`, 2000);
    await comment.waitFor({ state: "detached" });
    await until(() => commentCount(student).innerText(), `${before} comments`, 2 * POLL_INTERVAL_MS + 2000);
    await firstPost(student).locator("li.comment", { hasText: text }).waitFor({ state: "detached" });
    // And it stays right once everything has refreshed.
    await teacher.waitForTimeout(POLL_INTERVAL_MS);
    expect(await commentCount(teacher).innerText()).toBe(`${before} comments`);
    expect(await commentCount(student).innerText()).toBe(`${before} comments`);
  });

  it("lets a student delete their own comment but not someone else's", async () => {
    const post = firstPost(student);
    const others = post.locator("li.comment").filter({ hasNotText: "You" });
    await others.first().waitFor();
    expect(await others.count()).toBeGreaterThan(0);
    expect(await others.first().getByRole("button", { name: /Delete/ }).count()).toBe(0);
  });

  it("saves screenshots of the class page, wide and phone-width", async () => {
    await teacher.setViewportSize({ width: 1200, height: 720 });
    await teacher.waitForTimeout(300);
    const path = await screenshot(teacher, "06-chat");
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_README_SCREENSHOT) {
      mkdirSync(docsDir, { recursive: true });
      copyFileSync(path, join(docsDir, "chat.png"));
    }

    const phone = await newPage(browser, { width: 390, height: 844 });
    await signIn(phone, webUrl, demo.users.student2.email, demo.users.student2.password);
    await openClass(phone);
    await screenshot(phone, "07-class-phone");
    await phone.getByRole("tab", { name: "Stream" }).click();
    await firstPost(phone).waitFor();
    await screenshot(phone, "08-stream-phone");
    await phone.context().close();
  });

  it("shows no class to someone who is not a member", async () => {
    const outsider = await newPage(browser);
    await signIn(outsider, webUrl, demo.users.outsider.email, demo.users.outsider.password);
    await outsider.getByText("You're not in any class yet").waitFor();
    expect(await outsider.getByRole("link", { name: new RegExp(demo.class_name) }).count()).toBe(0);
    await screenshot(outsider, "09-no-classes");

    await outsider.goto(classUrl);
    await outsider.getByText("This class doesn't exist, or you're not a member of it.").waitFor();
    expect(await outsider.locator("li.message").count()).toBe(0);

    await outsider.getByRole("button", { name: "Sign out" }).click();
    await outsider.getByRole("heading", { name: "Sign in" }).waitFor();
    await outsider.context().close();
  });
});
