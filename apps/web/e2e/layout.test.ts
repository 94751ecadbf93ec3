/**
 * What a person sees at a laptop's 1280×800 and on a phone: results that are on screen, a chat
 * that is not squeezed, the newest message fully in view, nothing sticking out sideways.
 * Uses the Chemistry class (a long chat), see fixtures.ts.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { horizontalOverflow, launch, message, newPage, openClass, screenshot, send, shownFraction, signIn, until } from "./browser.ts";

const { webUrl, demo, fixtures } = inject("e2e");
const { class_name } = fixtures.chemistry;

let browser: Browser;
let teacher: Page;

/** Messages whose whole row is on screen. */
async function fullyShownMessages(page: Page): Promise<number> {
  const rows = await page.locator("li.message").all();
  let shown = 0;
  for (const row of rows) if ((await shownFraction(row)) === 1) shown++;
  return shown;
}

const membersPanel = (page: Page) => page.locator("#members-panel");
const addResult = (panel: Locator) => panel.getByRole("status").or(panel.getByRole("alert")).filter({ hasText: /\S/ });

beforeAll(async () => {
  browser = await launch();
  teacher = await newPage(browser);
  await signIn(teacher, webUrl, demo.users.teacher.email, demo.users.teacher.password);
  await openClass(teacher, class_name);
});

afterAll(async () => {
  await browser?.close();
});

describe("the class page at 1280×800", () => {
  it("shows the result of adding a member on screen, without squeezing the chat", async () => {
    const before = await fullyShownMessages(teacher);
    expect(before).toBeGreaterThanOrEqual(4);

    await teacher.getByRole("button", { name: /^Members/ }).click();
    const panel = membersPanel(teacher);
    await panel.getByLabel("Email").fill("nobody.yet@classroom.test");
    await panel.getByRole("button", { name: "Add member" }).click();
    const result = addResult(panel);
    await result.first().waitFor();
    await screenshot(teacher, "layout-members-result");
    expect(await shownFraction(result.first())).toBe(1);
    // The chat keeps (nearly) the room it had: at most one message row less.
    expect(await fullyShownMessages(teacher)).toBeGreaterThanOrEqual(before - 1);

    await teacher.getByRole("button", { name: /^Members/ }).click();
    await panel.waitFor({ state: "detached" });
  });

  it("scrolls the chat to the very bottom after sending, reactions of the newest message included", async () => {
    const text = "Is the indicator phenolphthalein or methyl orange?";
    await send(teacher, text);
    const row = message(teacher, text);
    await until(async () => (await row.getAttribute("data-status")) ?? "sent", "sent", 5000);
    await teacher.waitForTimeout(300);
    expect(await shownFraction(row.getByRole("group", { name: "Reactions" }))).toBe(1);
    const gap = await teacher.locator(".chat-scroll").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    expect(gap).toBeLessThanOrEqual(1);
  });
});

describe("nothing overflows sideways", () => {
  const longLine = `See https://example.org/${"a-very-long-path-segment-".repeat(8)}end and ${"Supercalifragilistic".repeat(6)}`;

  it("at 1280×800, with the members open", async () => {
    await send(teacher, longLine);
    await message(teacher, "Supercalifragilistic").waitFor();
    await teacher.getByRole("button", { name: /^Members/ }).click();
    await membersPanel(teacher).waitFor();
    expect(await horizontalOverflow(teacher)).toEqual([]);
    await teacher.getByRole("button", { name: /^Members/ }).click();
  });

  it("at 390×844, on each tab and with the members open", async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone, webUrl, demo.users.student1.email, demo.users.student1.password);
      expect(await horizontalOverflow(phone)).toEqual([]);
      await openClass(phone, class_name);
      await message(phone, "Supercalifragilistic").waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      await phone.getByRole("tab", { name: "Stream" }).click();
      await phone.locator("article.post").first().waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      await phone.getByRole("button", { name: /^Members/ }).click();
      await membersPanel(phone).waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      await screenshot(phone, "layout-phone-members");
    } finally {
      await phone.context().close();
    }
  });

  it("at 390×844, a teacher's four class sections sit two to a row, each label whole on one line", async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone, webUrl, demo.users.teacher.email, demo.users.teacher.password);
      await openClass(phone, class_name);
      const links = phone.getByRole("navigation", { name: "Class sections" }).getByRole("link");
      await links.first().waitFor();
      const boxes = await links.evaluateAll((els) =>
        els.map((el) => {
          const box = el.getBoundingClientRect();
          const lineHeight = Number.parseFloat(getComputedStyle(el).lineHeight) || 20;
          const text = el.firstChild?.nodeType === Node.TEXT_NODE ? el.firstChild : el;
          const range = document.createRange();
          range.selectNodeContents(text);
          return { text: el.textContent, top: Math.round(box.top), lines: Math.round(range.getBoundingClientRect().height / lineHeight) };
        }),
      );
      expect(boxes.map((b) => b.text)).toEqual(["Stream & chat", "Classwork", "Grades", "Settings"]);
      expect(boxes.map((b) => b.lines)).toEqual([1, 1, 1, 1]);
      expect(new Set(boxes.map((b) => b.top)).size).toBe(2);
      expect(await horizontalOverflow(phone)).toEqual([]);
    } finally {
      await phone.context().close();
    }
  });
});
