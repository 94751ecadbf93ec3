/**
 * Notification settings, with a teacher and a student (Riley) in two browser contexts: the
 * student reaches the settings from the bell, turns announcements off and mutes a class; the
 * teacher's later writes then notify only what is still wanted. Each check writes the unwanted
 * notification FIRST and a wanted one after it, through the same pipeline (stream, bus,
 * notifier): once the wanted one has arrived, the unwanted one would have too. A save that fails
 * puts the switch back and says so. The screen is checked at 1280×800 and 390×844.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Api, apiAs, classWith } from "./api.ts";
import { horizontalOverflow, launch, newPage, screenshot, signIn } from "./browser.ts";

const { webUrl, apiUrl, demo, fixtures } = inject("e2e");
const teacherUser = demo.users.teacher;
const rileyUser = fixtures.users.riley;

/** Through the stream, the bus and the notifier, then the bell's list. */
const ARRIVES_WITHIN = 40_000;
const ART = "Art 5A";
const DRAMA = "Drama 5B";

let browser: Browser;
let teacher: Api;
let riley: Page;
let rileyApi: Api;
let art: string;
let drama: string;

const bell = (page: Page) => page.getByRole("button", { name: /^Notifications/ });
const panel = (page: Page) => page.getByRole("region", { name: "Notifications" });
const item = (page: Page, text: string | RegExp) => panel(page).getByRole("button", { name: text });

/** Opens the bell until `text` is listed (its list is fetched each time it opens), then closes it. */
async function waitForNotification(page: Page, text: string | RegExp) {
  const started = Date.now();
  for (;;) {
    await bell(page).click();
    const found = await item(page, text)
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    await page.keyboard.press("Escape");
    if (found) return;
    if (Date.now() - started > ARRIVES_WITHIN) throw new Error(`no notification "${String(text)}" within ${ARRIVES_WITHIN} ms`);
  }
}

async function listed(page: Page, text: string | RegExp): Promise<number> {
  await bell(page).click();
  await panel(page).locator(".notification-list, .state-empty").first().waitFor();
  const count = await item(page, text).count();
  await page.keyboard.press("Escape");
  return count;
}

async function openSettingsFromBell(page: Page) {
  await bell(page).click();
  await panel(page).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Notification settings", level: 1 }).waitFor();
  expect(await panel(page).count()).toBe(0);
  expect(new URL(page.url()).hash).toBe("#/settings/notifications");
}

/** Waits for the save behind a switch to be answered. */
const saved = (page: Page) => page.waitForResponse((r) => r.url().includes("notification.setPreferences") && r.request().method() === "POST");

beforeAll(async () => {
  browser = await launch();
  const teacherPage = await newPage(browser);
  riley = await newPage(browser);
  await signIn(teacherPage, webUrl, teacherUser.email, teacherUser.password);
  await signIn(riley, webUrl, rileyUser.email, rileyUser.password);
  teacher = await apiAs(teacherPage, apiUrl);
  rileyApi = await apiAs(riley, apiUrl);
  await rileyApi.notification.setPreferences.mutate({ disabled_kinds: [], muted_classes: [] });
  art = await classWith(teacher, ART, [rileyUser.email]);
  drama = await classWith(teacher, DRAMA, [rileyUser.email]);
  await teacherPage.close();
});

afterAll(async () => {
  // Riley's preferences outlive this file: leave them as they were found.
  await rileyApi?.notification.setPreferences.mutate({ disabled_kinds: [], muted_classes: [] }).catch(() => undefined);
  await browser?.close();
});

describe("notification settings", () => {
  it("are reached from the bell and list every kind and every class", async () => {
    await openSettingsFromBell(riley);
    for (const label of ["New assignments", "Returned grades", "Announcements", "Comments on posts", "Mentions in chat", "Added to a class"]) {
      expect(await riley.getByRole("checkbox", { name: label, exact: true }).isChecked()).toBe(true);
    }
    for (const name of [ART, DRAMA]) {
      const mute = riley.getByRole("switch", { name: `Mute notifications from ${name}` });
      expect(await mute.isChecked()).toBe(false);
    }
  });

  it("with announcements turned off, a later assignment arrives but the announcement never does", async () => {
    const announcements = riley.getByRole("checkbox", { name: "Announcements", exact: true });
    const done = saved(riley);
    await announcements.uncheck();
    expect((await done).ok()).toBe(true);
    // Stored, not just shown: a fresh load reads it back from the API.
    await riley.reload();
    await riley.getByRole("heading", { name: "Notification settings", level: 1 }).waitFor();
    expect(await announcements.isChecked()).toBe(false);
    expect(await riley.getByRole("checkbox", { name: "New assignments", exact: true }).isChecked()).toBe(true);

    const announcement = "Clay workshop: bring an apron on Friday.";
    await teacher.post.create.mutate({ class_id: art, content: announcement, kind: "announcement" });
    await teacher.assignment.create.mutate({ class_id: art, title: "Still life sketch", state: "published" });
    await waitForNotification(riley, "New assignment: Still life sketch");
    expect(await listed(riley, /Clay workshop/)).toBe(0);
    expect(await listed(riley, `Announcement from ${teacherUser.name}`)).toBe(0);
  });

  it("a muted class sends nothing while another class still does", async () => {
    const mute = riley.getByRole("switch", { name: `Mute notifications from ${DRAMA}` });
    const done = saved(riley);
    await mute.check();
    expect((await done).ok()).toBe(true);
    expect((await rileyApi.notification.preferences.query()).muted_classes).toEqual([drama]);

    await teacher.assignment.create.mutate({ class_id: drama, title: "Monologue rehearsal", state: "published" });
    await teacher.assignment.create.mutate({ class_id: art, title: "Colour wheel", state: "published" });
    await waitForNotification(riley, "New assignment: Colour wheel");
    expect(await listed(riley, "New assignment: Monologue rehearsal")).toBe(0);
  });

  it("a save that fails puts the switch back and says so", async () => {
    await riley.route("**/trpc/notification.setPreferences**", (route) => route.abort("failed"));
    const mute = riley.getByRole("switch", { name: `Mute notifications from ${ART}` });
    await mute.click();
    await riley.getByRole("alert").filter({ hasText: "wasn't saved" }).waitFor();
    expect(await mute.isChecked()).toBe(false);
    await riley.unroute("**/trpc/notification.setPreferences**");
    // Nothing changed where it is stored either.
    expect(await rileyApi.notification.preferences.query()).toEqual({ disabled_kinds: ["announcement.posted"], muted_classes: [drama] });
    // The next change saves, and the message goes.
    const done = saved(riley);
    await riley.getByRole("checkbox", { name: "Announcements", exact: true }).check();
    expect((await done).ok()).toBe(true);
    expect(await riley.getByRole("alert").filter({ hasText: "wasn't saved" }).count()).toBe(0);
    expect((await rileyApi.notification.preferences.query()).disabled_kinds).toEqual([]);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`fit a ${viewport.width}×${viewport.height} screen`, async () => {
      await riley.setViewportSize(viewport);
      await riley.reload();
      await riley.getByRole("switch", { name: `Mute notifications from ${ART}` }).waitFor();
      expect(await horizontalOverflow(riley)).toEqual([]);
      const box = await riley.getByRole("switch", { name: `Mute notifications from ${ART}` }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= viewport.width).toBe(true);
      await screenshot(riley, `notification-settings-${viewport.width}`);
    });
  }
});
