/**
 * Moderation in the browser: authors edit and delete, a teacher removes, mutes, locks comments,
 * pins posts, invites and changes roles; the other open pages follow through their poll (never
 * a reload). A teacher and two students in three contexts, in the History class (fixtures.ts).
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { POLL_INTERVAL_MS } from "../src/config.ts";
import { launch, message, newPage, openClass, screenshot, send, signIn, until } from "./browser.ts";

const { webUrl, demo, fixtures } = inject("e2e");
const { class_name } = fixtures.history;
/** Long enough for the other page's next poll and the refresh it triggers. */
const NEXT_POLL = 2 * POLL_INTERVAL_MS + 3000;

let browser: Browser;
let teacher: Page;
let alex: Page;
let sam: Page;

const post = (page: Page, text: string) => page.locator("article.post", { hasText: text });
const messageTexts = (page: Page) => page.locator("li.message").evaluateAll((rows) => rows.map((r) => r.querySelector(".message-text, .message-tombstone")?.textContent ?? ""));

async function sent(page: Page, text: string) {
  await send(page, text);
  await until(async () => (await message(page, text).getAttribute("data-status")) ?? "sent", "sent", 5000);
}

async function confirm(page: Page, title: string, button: string) {
  const dialog = page.getByRole("dialog", { name: title });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: button }).click();
  await dialog.waitFor({ state: "hidden" });
}

/** Marks the page, so a later check can tell it was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { __sameDocument: true }));
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

function setVisibility(page: Page, state: "hidden" | "visible") {
  return page.evaluate((value) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

async function openStream(page: Page) {
  // On a wide window both panes show; the stream's first post means it has loaded.
  await page.locator("article.post").first().waitFor();
}

async function postTexts(page: Page): Promise<string[]> {
  return page.locator("article.post .post-text").allInnerTexts();
}

beforeAll(async () => {
  browser = await launch();
  [teacher, alex, sam] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
  await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
  await signIn(alex, webUrl, demo.users.student1.email, demo.users.student1.password);
  await signIn(sam, webUrl, demo.users.student2.email, demo.users.student2.password);
  for (const page of [teacher, alex, sam]) {
    await openClass(page, class_name);
    await openStream(page);
    await markPage(page);
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("messages", () => {
  it("an author edits a message (shown as edited) and deletes one (a tombstone in its place), and others see both", async () => {
    await sent(alex, "The Silk Road began in Chang'an.");
    await sent(alex, "Second thought: it ran all the way to Rome.");
    await sent(alex, "Third: and it carried paper west.");
    await message(teacher, "Third: and it carried paper west.").waitFor({ timeout: NEXT_POLL });

    const first = message(alex, "Chang'an");
    await first.hover();
    await first.getByRole("button", { name: "Edit your message" }).click();
    const field = alex.getByRole("textbox", { name: "Edit your message" });
    expect(await field.inputValue()).toBe("The Silk Road began in Chang'an.");
    await field.fill("The Silk Road began in Xi'an, then called Chang'an.");
    await field.press("Enter");
    await message(alex, "Xi'an").locator(".edited").waitFor();

    const second = message(alex, "Second thought");
    await second.hover();
    await second.getByRole("button", { name: "Delete your message" }).click();
    await confirm(alex, "Delete this message?", "Delete message");
    await alex.locator("li.message-removed", { hasText: "message deleted" }).waitFor();

    // The teacher's open page follows at its next poll.
    await message(teacher, "Xi'an").locator(".edited").waitFor({ timeout: NEXT_POLL });
    await teacher.locator("li.message-removed", { hasText: "message deleted" }).waitFor({ timeout: NEXT_POLL });
    const texts = await messageTexts(teacher);
    const at = texts.indexOf("The Silk Road began in Xi'an, then called Chang'an.");
    expect(texts.slice(at, at + 3)).toEqual(["The Silk Road began in Xi'an, then called Chang'an.", "message deleted", "Third: and it carried paper west."]);
    expect(await message(teacher, "Second thought").count()).toBe(0);
    expect(await stillSamePage(teacher)).toBe(true);
    // Others cannot edit or delete Alex's messages; the teacher may only remove them.
    expect(await message(sam, "Xi'an").getByRole("button").filter({ hasText: /Edit|Delete|Remove/ }).count()).toBe(0);
    expect(await message(teacher, "Xi'an").getByRole("button", { name: "Edit your message" }).count()).toBe(0);
  });

  it("a teacher removes a student's message: 'removed by a teacher' for everyone", async () => {
    await sent(sam, "this lesson is so boring lol");
    const row = message(teacher, "so boring");
    await row.waitFor({ timeout: NEXT_POLL });
    await row.hover();
    await row.getByRole("button", { name: "Remove message by Sam Lee" }).click();
    await confirm(teacher, "Remove this message?", "Remove message");
    await teacher.locator("li.message-removed", { hasText: "removed by a teacher" }).waitFor();
    await sam.locator("li.message-removed", { hasText: "removed by a teacher" }).waitFor({ timeout: NEXT_POLL });
    await alex.locator("li.message-removed", { hasText: "removed by a teacher" }).waitFor({ timeout: NEXT_POLL });
    expect(await message(sam, "so boring").count()).toBe(0);
    expect(await stillSamePage(sam)).toBe(true);
    await screenshot(sam, "moderation-tombstones");
  });

  it("a teacher mutes a student for a chosen time: the server refuses their writes, and their composer says until when", async () => {
    // Sam's tab is in the background (no polls), so Sam's page does not know yet.
    await setVisibility(sam, "hidden");
    await teacher.getByRole("button", { name: /^Members/ }).click();
    const panel = teacher.locator("#members-panel");
    await panel.getByRole("button", { name: "Mute Sam Lee in the chat" }).click();
    await panel.getByLabel("Mute in the chat for").selectOption({ label: "1 hour" });
    await panel.getByRole("form", { name: "Mute Sam Lee" }).getByRole("button", { name: "Mute" }).click();
    await panel.locator("li.member", { hasText: "Sam Lee" }).getByText(/Muted in the chat until/).waitFor();

    // A message written before Sam's page heard of it: refused, and the reason is on screen.
    await send(sam, "can I still talk?");
    const refused = message(sam, "can I still talk?");
    await refused.getByRole("button", { name: "Retry" }).waitFor();
    expect(await refused.innerText()).toContain("muted");
    // "until 9:30 PM", or with the date when the mute ends on another day.
    const notice = sam.locator(".composer").getByText(/A teacher muted you in this chat until (\w{3} \d{1,2}, )?\d{1,2}:\d{2}\s?[AP]M\./);
    await notice.waitFor({ timeout: NEXT_POLL });
    expect(await sam.getByLabel("Message the class").isDisabled()).toBe(true);
    expect(await sam.getByRole("button", { name: "Send", exact: true }).isDisabled()).toBe(true);
    await refused.getByRole("button", { name: "Discard" }).click();
    await setVisibility(sam, "visible");
    await screenshot(sam, "moderation-muted");

    await panel.getByRole("button", { name: "Unmute Sam Lee" }).click();
    await notice.waitFor({ state: "detached", timeout: NEXT_POLL });
    expect(await sam.getByLabel("Message the class").isEnabled()).toBe(true);
    await teacher.getByRole("button", { name: /^Members/ }).click();
  });
});

describe("the stream", () => {
  it("a teacher locks a post's comments, and unlocks them", async () => {
    const teacherPost = post(teacher, "Field trip forms");
    await teacherPost.getByRole("button", { name: "Lock comments" }).click();
    await teacherPost.getByRole("button", { name: "Unlock comments" }).waitFor();

    const alexPost = post(alex, "Field trip forms");
    await alexPost.getByText("· locked").waitFor({ timeout: NEXT_POLL });
    await alexPost.getByRole("button", { name: /^\d+ comments?/ }).click();
    await alexPost.getByText("A teacher locked the comments on this post.").waitFor();
    expect(await alexPost.getByLabel("Write a comment").count()).toBe(0);

    await teacherPost.getByRole("button", { name: "Unlock comments" }).click();
    await alexPost.getByLabel("Write a comment").waitFor({ timeout: NEXT_POLL });
  });

  it("a teacher pins up to three posts, shown first for everyone; a fourth is refused", async () => {
    const pin = async (text: string) => {
      await post(teacher, text).first().getByRole("button", { name: "Pin", exact: true }).click();
      await post(teacher, text).first().locator(".badge-pinned").waitFor();
    };
    await pin("Reading: the Silk Road");
    expect((await postTexts(teacher))[0]).toContain("Reading: the Silk Road");
    await until(async () => (await postTexts(alex))[0]?.startsWith("Reading: the Silk Road") ?? false, true, NEXT_POLL);
    expect(await post(alex, "Reading: the Silk Road").locator(".badge-pinned").count()).toBe(1);
    // Students see that it is pinned, and cannot pin.
    expect(await alex.getByRole("button", { name: "Pin", exact: true }).count()).toBe(0);

    await pin("Essay topics");
    await pin("Field trip forms");
    await post(teacher, "Museum visit").getByRole("button", { name: "Pin", exact: true }).click();
    await post(teacher, "Museum visit").getByRole("alert").filter({ hasText: "at most 3 pinned posts" }).waitFor();
    expect(await teacher.locator(".pinned-posts article.post").count()).toBe(3);
    await screenshot(teacher, "moderation-pinned");

    await post(teacher, "Reading: the Silk Road").getByRole("button", { name: "Unpin" }).click();
    await until(async () => teacher.locator(".pinned-posts article.post").count(), 2, 5000);
    const texts = await postTexts(teacher);
    expect(texts[texts.length - 1]).toContain("Reading: the Silk Road"); // back in its place, the oldest
    await until(async () => alex.locator(".pinned-posts article.post").count(), 2, NEXT_POLL);
  });

  it("an author edits and deletes a post, edits a comment; others see it without a reload", async () => {
    const teacherPost = post(teacher, "Museum visit");
    await teacherPost.getByRole("button", { name: "Edit", exact: true }).click();
    await teacherPost.getByRole("textbox", { name: "Edit your post" }).fill("Museum visit moved to the 14th.");
    await teacherPost.getByRole("button", { name: "Save" }).click();
    await post(teacher, "moved to the 14th").locator(".edited").waitFor();
    const alexPost = post(alex, "moved to the 14th");
    await alexPost.locator(".edited").waitFor({ timeout: NEXT_POLL });

    await alexPost.getByRole("button", { name: /^\d+ comments?/ }).click();
    await alexPost.getByLabel("Write a comment").fill("Can parents come?");
    await alexPost.getByLabel("Write a comment").press("Enter");
    const written = alexPost.locator("li.comment:not(.comment-pending)", { hasText: "Can parents come?" });
    await written.waitFor();
    // While edited, the text is in a field, not in the row's text: hold on to the row by its id.
    const comment = alexPost.locator(`li.comment[data-comment-id="${await written.getAttribute("data-comment-id")}"]`);
    await comment.getByRole("button", { name: "Edit your comment" }).click();
    await comment.getByRole("textbox", { name: "Edit your comment" }).fill("Can parents come along?");
    await comment.getByRole("textbox", { name: "Edit your comment" }).press("Enter");
    await alexPost.locator("li.comment", { hasText: "Can parents come along?" }).locator(".edited").waitFor();

    await post(teacher, "moved to the 14th").getByRole("button", { name: "Delete", exact: true }).click();
    await confirm(teacher, "Delete this post?", "Delete post");
    await post(teacher, "moved to the 14th").waitFor({ state: "detached" });
    await post(alex, "moved to the 14th").waitFor({ state: "detached", timeout: NEXT_POLL });
    expect(await stillSamePage(alex)).toBe(true);
  });
});

describe("members", () => {
  let panel: Locator;

  beforeAll(async () => {
    await teacher.getByRole("button", { name: /^Members/ }).click();
    panel = teacher.locator("#members-panel");
    await panel.waitFor();
  });

  it("invites an email that never signed in, and shows it as invited", async () => {
    await panel.getByLabel("Email").fill("new.kid@classroom.test");
    await panel.getByRole("button", { name: "Add member" }).click();
    await panel.getByRole("status").filter({ hasText: "new.kid@classroom.test is invited as a student" }).waitFor();
    const invited = panel.locator("li[data-invited='new.kid@classroom.test']");
    await invited.getByText("Invited", { exact: true }).waitFor();
  });

  it("says who is already in the class instead of changing anything", async () => {
    await panel.getByLabel("Email").fill(demo.users.student1.email);
    await panel.getByRole("combobox", { name: "Role" }).selectOption("teacher");
    await panel.getByRole("button", { name: "Add member" }).click();
    await panel.getByRole("alert").filter({ hasText: "Alex Kim is already a student in this class." }).waitFor();
    expect(await panel.locator("li.member", { hasText: "Alex Kim" }).locator(".badge").innerText()).toMatch(/student/i);
    await panel.getByRole("combobox", { name: "Role" }).selectOption("student");
  });

  it("changes a role as its own action, after a confirmation", async () => {
    const row = panel.locator("li.member", { hasText: "Sam Lee" });
    await row.getByRole("button", { name: "Change the role of Sam Lee" }).click();
    const dialog = teacher.getByRole("dialog", { name: "Make Sam Lee a teacher?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await row.locator(".badge").innerText()).toMatch(/student/i);

    await row.getByRole("button", { name: "Change the role of Sam Lee" }).click();
    await confirm(teacher, "Make Sam Lee a teacher?", "Make teacher");
    await until(async () => (await row.locator(".badge").innerText()).toLowerCase(), "teacher", 5000);
    await screenshot(teacher, "moderation-members");

    await row.getByRole("button", { name: "Change the role of Sam Lee" }).click();
    await confirm(teacher, "Make Sam Lee a student?", "Make student");
    await until(async () => (await row.locator(".badge").innerText()).toLowerCase(), "student", 5000);
  });
});
