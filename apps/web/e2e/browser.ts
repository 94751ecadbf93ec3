/** Debian's Chromium driven by playwright-core (no browser download), and the steps every e2e test repeats. */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Locator, type Page, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), "../test-results");

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: "UTC" });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

export async function signIn(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  await page.goto(webUrl);
  await page.getByLabel("School email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "My classes" }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export const message = (page: Page, text: string) => page.locator("li.message", { hasText: text });

/** From "My classes", opens the class and waits for its chat. */
export async function openClass(page: Page, className: string): Promise<void> {
  await page.getByRole("link", { name: new RegExp(className) }).click();
  await page.getByRole("heading", { name: className, level: 1 }).waitFor();
  await page.locator("li.message").first().waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message the class").fill(text);
  await page.getByLabel("Message the class").press("Enter");
}

/** Waits until `read()` returns `want`; fails after `timeout` ms with the last value seen. */
export async function until<T>(read: () => Promise<T>, want: T, timeout: number): Promise<number> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < timeout) {
    last = await read();
    if (last === want) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${String(want)} within ${timeout} ms, last saw ${String(last)}`);
}

/**
 * How much of the element a person can actually see: the part inside the window and inside every
 * scrolling or clipping ancestor, as a fraction of its height (1 = fully visible). Playwright's
 * `isVisible` counts an element scrolled out of its panel as visible; this does not.
 */
export function shownFraction(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const rect = el.getBoundingClientRect();
    if (rect.height === 0) return 0;
    let top = Math.max(rect.top, 0);
    let bottom = Math.min(rect.bottom, window.innerHeight);
    for (let parent = el.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowY === "visible") continue;
      const box = parent.getBoundingClientRect();
      top = Math.max(top, box.top + parent.clientTop);
      bottom = Math.min(bottom, box.top + parent.clientTop + parent.clientHeight);
    }
    return Math.max(0, bottom - top) / rect.height;
  });
}

/** Elements on the page wider than the window or sticking out past its right edge, and the page's own horizontal overflow. */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) found.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll<HTMLElement>("body *")) {
      if (el.closest(".visually-hidden")) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.right > width + 0.5 || rect.left < -0.5) {
        found.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(rect.left)}..${Math.round(rect.right)} of ${width}`);
      }
      const overflowX = getComputedStyle(el).overflowX;
      const scrollsSideways = overflowX === "auto" || overflowX === "scroll";
      if (scrollsSideways && !(el instanceof HTMLInputElement) && el.scrollWidth > el.clientWidth + 1) {
        found.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return found;
  });
}
