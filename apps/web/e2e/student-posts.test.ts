/**
 * Students in the class stream, as the class's stream policy allows: where every member may
 * post, a student gets the composer (files included, no announcement choice) and the teacher
 * sees the post; where only teachers post, the student reads one line saying so instead. A long
 * file name keeps its extension in view, at 1280×800 and on a phone. The classes are made here
 * through the API; the tests run in order and share the pages.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { classHref } from "../src/route.ts";
import { type Api, apiAs, classWith } from "./api.ts";
import { horizontalOverflow, launch, newPage, screenshot, signIn } from "./browser.ts";

const { webUrl, apiUrl, demo } = inject("e2e");
const { teacher: teacherUser, student2: samUser } = demo.users;
const OPEN_CLASS = "Debate 11A";
const COMMENTS_CLASS = "Music 11B";
const QUIET_CLASS = "Latin 11C";
const LONG_NAME = "Lab report for the chemistry module, titration of acetic acid with sodium hydroxide, final version.pdf";
const POST = "My lab report, for anyone who missed the practical.";

let browser: Browser;
let teacher: Page;
let sam: Page;
let teacherApi: Api;
let dir: string;
const classes: Record<string, string> = {};

async function openStream(page: Page, className: string) {
  await page.goto(`${webUrl}${classHref(classes[className]!)}`);
  await page.getByRole("heading", { name: className, level: 1 }).waitFor();
}

const composer = (page: Page) => page.locator("form.new-post");
const readyRow = (scope: Page | Locator, name: string) => scope.locator('.upload[data-status="ready"]', { hasText: name });

/**
 * The characters of the file name a person actually sees in `row`, in order: those painted
 * inside the window and inside every clipping box around them (text for screen readers only,
 * or cut off by an overflow, does not count).
 */
function shownName(row: Locator): Promise<string> {
  return row.locator(".file-name").evaluate((root) => {
    const clips: DOMRect[] = [new DOMRect(0, 0, window.innerWidth, window.innerHeight)];
    const within = (x: number, y: number, box: DOMRect) => x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
    let shown = "";
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(".visually-hidden")) continue;
      const boxes = [...clips];
      for (let el: Element | null = parent; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflowX !== "visible" || style.overflowY !== "visible") boxes.push(el.getBoundingClientRect());
      }
      const text = node.textContent ?? "";
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0) continue;
        const x = rect.left + rect.width / 2;
        const y = rect.top + rect.height / 2;
        if (boxes.every((box) => within(x, y, box))) shown += text[i];
      }
    }
    return shown;
  });
}

/** The name is cut (it does not fit) and what shows of it starts as the name does and ends in its extension. */
async function expectExtensionShown(row: Locator) {
  const shown = await shownName(row);
  expect(shown.length).toBeGreaterThan(10);
  expect(shown.length).toBeLessThan(LONG_NAME.length);
  expect(shown.slice(0, 5)).toBe(LONG_NAME.slice(0, 5));
  expect(shown.slice(-4)).toBe(".pdf");
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "classroom-student-posts-e2e-"));
  writeFileSync(join(dir, LONG_NAME), "%PDF-1.4\n%%EOF\n");
  browser = await launch();
  teacher = await newPage(browser);
  sam = await newPage(browser);
  await signIn(teacher, webUrl, teacherUser.email, teacherUser.password);
  await signIn(sam, webUrl, samUser.email, samUser.password);
  teacherApi = await apiAs(teacher, apiUrl);
  for (const [name, stream_policy] of [
    [OPEN_CLASS, "all_members"],
    [COMMENTS_CLASS, "comments_only"],
    [QUIET_CLASS, "teachers_only"],
  ] as const) {
    const class_id = await classWith(teacherApi, name, [samUser.email]);
    await teacherApi.class.update.mutate({ class_id, stream_policy });
    classes[name] = class_id;
  }
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a student in the stream", () => {
  it("posts a discussion with a file where every member may post, and the teacher sees it", async () => {
    await openStream(sam, OPEN_CLASS);
    const form = composer(sam);
    await form.getByLabel("Post to the class").waitFor();
    // A student's post is never an announcement: there is no such choice.
    expect(await form.getByRole("checkbox").count()).toBe(0);
    expect(await form.innerText()).not.toContain("Announcement");
    await sam.getByText("Nothing posted yet").waitFor();
    expect(await sam.locator(".stream").innerText()).toContain("Start a discussion");

    await form.getByLabel("Attach files").setInputFiles(join(dir, LONG_NAME));
    await readyRow(form, "Lab report").waitFor();
    await form.getByLabel("Post to the class").fill(POST);
    await form.getByRole("button", { name: "Post", exact: true }).click();
    const mine = sam.locator("article.post", { hasText: POST });
    await mine.getByRole("button", { name: `Download ${LONG_NAME}`, exact: true }).waitFor();
    expect(await form.locator(".upload").count()).toBe(0);

    await openStream(teacher, OPEN_CLASS);
    const seen = teacher.locator("article.post", { hasText: POST });
    await seen.waitFor();
    expect(await seen.innerText()).toContain(samUser.name);
    await seen.getByRole("button", { name: `Download ${LONG_NAME}`, exact: true }).waitFor();
    const { posts } = await teacherApi.post.list.query({ class_id: classes[OPEN_CLASS]! });
    expect(posts.map((p) => [p.content, p.kind])).toEqual([[POST, "discussion"]]);
  });

  it("reads one line instead of a composer where only teachers post", async () => {
    await openStream(sam, QUIET_CLASS);
    const notice = sam.locator(".stream").getByText("Only teachers post or comment in this class.", { exact: true });
    await notice.waitFor();
    await sam.getByText("Nothing posted yet").waitFor();
    expect(await sam.locator(".stream").innerText()).toContain("Your teacher's posts will appear here.");
    expect(await composer(sam).count()).toBe(0);
    expect(await sam.getByLabel("Post to the class").count()).toBe(0);
    await screenshot(sam, "student-posts-teachers-only");

    await openStream(sam, COMMENTS_CLASS);
    await sam.locator(".stream").getByText("Only teachers start posts in this class; you can comment on theirs.", { exact: true }).waitFor();
    expect(await composer(sam).count()).toBe(0);
  });

  it("comments where students may, and reads one line instead of a comment box where only teachers comment", async () => {
    for (const [name, mayComment] of [
      [COMMENTS_CLASS, true],
      [QUIET_CLASS, false],
    ] as const) {
      const content = `Question of the day in ${name}`;
      await teacherApi.post.create.mutate({ class_id: classes[name]!, content });
      await openStream(sam, name);
      // A fresh load shows the new post at once (the page may have this stream from a test before).
      await sam.reload();
      const post = sam.locator("article.post", { hasText: content });
      await post.getByRole("button", { name: /comments/ }).click();
      if (mayComment) {
        await post.getByLabel("Write a comment").fill("Here is my answer.");
        await post.getByRole("button", { name: "Comment", exact: true }).click();
        await post.locator("li", { hasText: "Here is my answer." }).waitFor();
      } else {
        await post.getByText("Only teachers comment in this class.", { exact: true }).waitFor();
        expect(await post.getByLabel("Write a comment").count()).toBe(0);
      }
    }
  });
});

describe("a long file name", () => {
  it("keeps its extension in view at 1280×800, in the uploader and in the post", async () => {
    await openStream(sam, OPEN_CLASS);
    const form = composer(sam);
    await form.getByLabel("Attach files").setInputFiles(join(dir, LONG_NAME));
    const row = readyRow(form, "Lab report");
    await row.waitFor();
    expect(await row.locator(".file-name").getAttribute("title")).toBe(LONG_NAME);
    await expectExtensionShown(row);
    await row.getByRole("button", { name: `Remove ${LONG_NAME}` }).click();

    const attachment = sam.locator("article.post", { hasText: POST }).locator("li", { hasText: "Lab report" });
    expect(await attachment.locator(".file-name").getAttribute("title")).toBe(`Download ${LONG_NAME}`);
    await expectExtensionShown(attachment);
    await expectExtensionShown(teacher.locator("article.post", { hasText: POST }).locator("li", { hasText: "Lab report" }));
    await screenshot(sam, "student-posts-long-name");
  });

  it("keeps its extension in view on a phone, with nothing sticking out sideways", async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone, webUrl, samUser.email, samUser.password);
      await openStream(phone, OPEN_CLASS);
      await phone.getByRole("tab", { name: "Stream" }).click();
      const attachment = phone.locator("article.post", { hasText: POST }).locator("li", { hasText: "Lab report" });
      await attachment.waitFor();
      await attachment.scrollIntoViewIfNeeded();
      await expectExtensionShown(attachment);

      const form = composer(phone);
      await form.getByLabel("Attach files").setInputFiles(join(dir, LONG_NAME));
      const row = readyRow(form, "Lab report");
      await row.waitFor();
      await row.scrollIntoViewIfNeeded();
      await expectExtensionShown(row);
      expect(await horizontalOverflow(phone)).toEqual([]);
      await screenshot(phone, "student-posts-phone-long-name");
    } finally {
      await phone.context().close();
    }
  });
});
