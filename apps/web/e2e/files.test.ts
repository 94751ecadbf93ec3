/**
 * Attachments in a real browser against the real local stack and its local S3, at 1280×800 and
 * on a phone: a teacher attaches a PDF to a new assignment and watches it upload; a student
 * downloads it byte for byte; a student turns in a picture, the teacher sees its thumbnail and
 * downloads it; an upload cancelled half-way leaves nothing attached; a failed upload is retried;
 * a file too large or of the wrong type is refused before anything is sent. Uploads are slowed
 * down in the browser (the DevTools network throttle) so their progress can be watched.
 * The tests run in order and share the pages.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { horizontalOverflow, launch, newPage, openClass, screenshot, signIn, until } from "./browser.ts";

const { webUrl, apiUrl, demo, fixtures } = inject("e2e");
const { teacher: teacherUser, student1: alexUser } = demo.users;
const CLASS_NAME = fixtures.art.class_name;
const TITLE = "Colour wheel study";
/** The pages poll every few seconds; a change by someone else shows within a few polls. */
const SEEN_WITHIN = 20_000;

let browser: Browser;
let teacher: Page;
let alex: Page;
let dir: string;

// ---------------------------------------------------------------------------------------------
// Files made here, so the bytes compared after a download are known

/** A real PDF (one empty page) of exactly `size` bytes: random bytes after its end, so a mix-up cannot go unseen. */
function pdfBytes(size: number): Buffer {
  const objects = [
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += `${object}\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const pdf = Buffer.from(`${body}%`, "latin1");
  return Buffer.concat([pdf, randomBytes(size - pdf.length)]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), data])));
  return Buffer.concat([length, Buffer.from(type, "latin1"), data, crc]);
}
/** A real PNG, `width`×`height`, a colour gradient (RGB, 8 bits). */
function pngBytes(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 255) / width, (y * 255) / height, 160], 1 + x * 3);
    rows.push(row);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}

function writeTemp(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Steps

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Class sections" }).getByRole("link", { name, exact: true });
const assignmentLink = (page: Page) => page.getByRole("link", { name: new RegExp(TITLE) });
const uploadRow = (scope: Page | Locator, name: string) => scope.locator(".upload", { hasText: name });
const readyRow = (scope: Page | Locator, name: string) => scope.locator('.upload[data-status="ready"]', { hasText: name });

/** Slows the page's uploads to `bytesPerSecond` (DevTools network throttling); the returned function lifts it. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return async () => {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/** Starts recording every value a progress bar on the page takes; read them with `progressSeen`. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        const el = record.target as Element;
        if (el.getAttribute("role") === "progressbar") seen.push(Number(el.getAttribute("aria-valuenow")));
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
}
const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);

/** Calls to `file.create` the page makes (the first step of every upload), counted from now; a batch counts each call. */
function countCreates(page: Page): { count: () => number } {
  let count = 0;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!request.url().startsWith(`${apiUrl}/trpc/`)) return;
    count += url.pathname.split("/").pop()!.split(",").filter((name) => name === "file.create").length;
  });
  return { count: () => count };
}

async function downloadBytes(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

const PDF = pdfBytes(600 * 1024);
const PNG = pngBytes(64, 48);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "classroom-files-e2e-"));
  browser = await launch();
  teacher = await newPage(browser);
  alex = await newPage(browser);
  await signIn(teacher, webUrl, teacherUser.email, teacherUser.password);
  await signIn(alex, webUrl, alexUser.email, alexUser.password);
  await openClass(teacher, CLASS_NAME);
  await openClass(alex, CLASS_NAME);
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("attachments", () => {
  it("a teacher attaches a PDF to a new assignment and watches it upload to ready", async () => {
    await nav(teacher, "Classwork").click();
    await teacher.getByRole("button", { name: "New assignment" }).click();
    const form = teacher.locator("form.assignment-form");
    await form.getByLabel("Title").fill(TITLE);

    await recordProgress(teacher);
    const unthrottle = await throttleUploads(teacher, 200 * 1024);
    try {
      await form.getByLabel("Attach files").setInputFiles(writeTemp("colour-wheel.pdf", PDF));
      const bar = form.getByRole("progressbar", { name: "Uploading colour-wheel.pdf" });
      await bar.waitFor();
      // The form cannot be sent while the file is on its way.
      expect(await form.getByRole("button", { name: "Assign" }).isDisabled()).toBe(true);
      await until(async () => Number(await bar.getAttribute("aria-valuenow").catch(() => "100")) > 20, true, 10_000);
      await screenshot(teacher, "files-uploading");
      await readyRow(form, "colour-wheel.pdf").waitFor({ timeout: 20_000 });
    } finally {
      await unthrottle();
    }
    const seen = await progressSeen(teacher);
    // Real progress: values between the ends, never going back, up to 100.
    expect(seen.some((v) => v > 0 && v < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(100);
    expect(await uploadRow(form, "colour-wheel.pdf").innerText()).toContain("Ready · 600 KB");
    expect(await form.getByRole("progressbar").count()).toBe(0);

    await form.getByRole("button", { name: "Assign" }).click();
    await assignmentLink(teacher).click();
    const materials = teacher.getByRole("list", { name: "Materials" });
    await materials.getByRole("button", { name: "Download colour-wheel.pdf" }).waitFor();
    expect(await materials.innerText()).toContain("PDF · 600 KB");
  });

  it("a student opens the assignment and downloads the material, byte for byte", async () => {
    await nav(alex, "Classwork").click();
    await assignmentLink(alex).click({ timeout: SEEN_WITHIN });
    const materials = alex.getByRole("list", { name: "Materials" });
    const { name, bytes } = await downloadBytes(alex, materials.getByRole("button", { name: "Download colour-wheel.pdf" }));
    expect(name).toBe("colour-wheel.pdf");
    expect(bytes.length).toBe(PDF.length);
    expect(bytes.equals(PDF)).toBe(true);
    // The page stayed where it was.
    await alex.getByRole("heading", { name: TITLE }).waitFor();
    await screenshot(alex, "files-student-materials");
  });

  it("a student turns in a picture; the teacher sees its thumbnail and downloads it", async () => {
    const work = alex.locator(".your-work");
    await work.getByLabel("Attach files").setInputFiles(writeTemp("my-wheel.png", PNG));
    await readyRow(work, "my-wheel.png").waitFor();
    const preview = work.getByRole("img", { name: "Preview of my-wheel.png" });
    const blobUrl = (await preview.getAttribute("src")) ?? "";
    expect(blobUrl).toMatch(/^blob:/);
    expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);

    await work.getByRole("button", { name: "Turn in" }).click();
    await alex.getByRole("status").filter({ hasText: "Turned in." }).waitFor();
    await work.getByRole("list", { name: "Your files" }).getByRole("button", { name: "Download my-wheel.png" }).waitFor();
    // The preview of the picked file was let go once the file left the form.
    const previewAfter = await alex.evaluate((url) => fetch(url).then(() => "still there", () => "released"), blobUrl);
    expect(previewAfter).toBe("released");

    await teacher.reload();
    const row = teacher.locator("tr", { has: teacher.getByRole("rowheader", { name: alexUser.name }) });
    await row.getByText("Turned in", { exact: true }).waitFor({ timeout: SEEN_WITHIN });
    const thumbnail = row.getByRole("img", { name: "Preview of my-wheel.png" });
    await thumbnail.waitFor();
    await until(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), 64, 10_000);
    const { name, bytes } = await downloadBytes(teacher, row.getByRole("button", { name: "Download my-wheel.png" }));
    expect(name).toBe("my-wheel.png");
    expect(bytes.equals(PNG)).toBe(true);
    await screenshot(teacher, "files-teacher-grading");
  });

  it("the teacher changes the materials: one file removed, another added; the student sees the new list", async () => {
    await teacher.getByRole("button", { name: "Edit" }).click();
    const form = teacher.locator("form.assignment-form");
    await readyRow(form, "colour-wheel.pdf").waitFor();
    await form.getByLabel("Attach files").setInputFiles(writeTemp("mixing-chart.pdf", pdfBytes(2048)));
    await readyRow(form, "mixing-chart.pdf").waitFor();
    await form.getByRole("button", { name: "Remove colour-wheel.pdf" }).click();
    await form.getByRole("button", { name: "Save changes" }).click();
    await teacher.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
    const materials = teacher.getByRole("list", { name: "Materials" });
    await materials.getByRole("button", { name: "Download mixing-chart.pdf" }).waitFor();
    expect(await materials.getByRole("listitem").count()).toBe(1);

    await alex.reload();
    const theirs = alex.getByRole("list", { name: "Materials" });
    await theirs.getByRole("button", { name: "Download mixing-chart.pdf" }).waitFor();
    expect(await theirs.innerText()).not.toContain("colour-wheel.pdf");
    // The student's own work is untouched.
    await alex.locator(".your-work").getByRole("list", { name: "Your files" }).getByRole("button", { name: "Download my-wheel.png" }).waitFor();
  });

  it("an upload cancelled half-way leaves nothing attached; the post carries only the file kept", async () => {
    await nav(teacher, "Stream & chat").click();
    const composer = teacher.locator("form.new-post");
    const creates = countCreates(teacher);
    const unthrottle = await throttleUploads(teacher, 200 * 1024);
    try {
      await composer.getByLabel("Attach files").setInputFiles([writeTemp("big-handout.pdf", pdfBytes(3 * 1024 * 1024)), writeTemp("reading-list.txt", Buffer.from("1. Itten, The Art of Color\n"))]);
      const bar = composer.getByRole("progressbar", { name: "Uploading big-handout.pdf" });
      await until(async () => Number(await bar.getAttribute("aria-valuenow")) >= 5, true, 15_000);
      await composer.getByRole("button", { name: "Cancel big-handout.pdf" }).click();
      expect(await uploadRow(composer, "big-handout.pdf").count()).toBe(0);
      await readyRow(composer, "reading-list.txt").waitFor({ timeout: 15_000 });
    } finally {
      await unthrottle();
    }
    expect(creates.count()).toBe(2);
    await composer.getByLabel("Post to the class").fill("This term's reading list.");
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    const post = teacher.locator("article.post", { hasText: "This term's reading list." });
    await post.waitFor();
    const attachments = post.getByRole("list", { name: "Attachments" });
    await attachments.waitFor();
    expect(await attachments.getByRole("listitem").count()).toBe(1);
    expect(await attachments.innerText()).toContain("reading-list.txt");
    expect(await post.innerText()).not.toContain("big-handout");
    // The composer starts empty again.
    expect(await composer.locator(".upload").count()).toBe(0);

    // The student sees the post with its file and gets the same bytes.
    await nav(alex, "Stream & chat").click();
    const seen = alex.locator("article.post", { hasText: "This term's reading list." });
    await seen.waitFor({ timeout: SEEN_WITHIN });
    const { bytes } = await downloadBytes(alex, seen.getByRole("button", { name: "Download reading-list.txt" }));
    expect(bytes.toString()).toBe("1. Itten, The Art of Color\n");
  });

  it("a failed upload says so, holds the form back, and succeeds on Retry", async () => {
    const composer = teacher.locator("form.new-post");
    let refused = 0;
    await teacher.route(
      (url) => !url.href.startsWith(apiUrl) && !url.href.startsWith(webUrl),
      async (route) => {
        if (route.request().method() === "POST" && refused === 0) {
          refused++;
          return route.abort("connectionfailed");
        }
        return route.continue();
      },
    );
    try {
      await composer.getByLabel("Post to the class").fill("Palette for Thursday.");
      await composer.getByLabel("Attach files").setInputFiles(writeTemp("palette.png", PNG));
      const row = uploadRow(composer, "palette.png");
      await composer.locator('.upload[data-status="failed"]', { hasText: "palette.png" }).waitFor();
      expect(await row.innerText()).toContain("could not be reached");
      expect(await composer.getByRole("button", { name: "Post", exact: true }).isDisabled()).toBe(true);
      expect(await composer.getByRole("status").innerText()).toContain("could not be uploaded");
      await composer.getByRole("button", { name: "Retry palette.png" }).click();
      await readyRow(composer, "palette.png").waitFor();
    } finally {
      await teacher.unrouteAll({ behavior: "wait" });
    }
    expect(refused).toBe(1);
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    const post = teacher.locator("article.post", { hasText: "Palette for Thursday." });
    const thumbnail = post.getByRole("img", { name: "Preview of palette.png" });
    await thumbnail.waitFor();
    await until(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), 64, 10_000);
  });

  it("a file too large or of the wrong type is refused with the reason, and nothing is uploaded", async () => {
    const work = teacher.locator("form.new-post");
    const creates = countCreates(teacher);
    const huge = writeTemp("scan.pdf", Buffer.alloc(25 * 1024 * 1024 + 1));
    const program = writeTemp("setup.exe", Buffer.from("MZ not a document"));
    await work.getByLabel("Attach files").setInputFiles([huge, program]);
    const refusal = work.getByRole("alert");
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain("“scan.pdf” is larger than 25 MB: files can be at most 25 MB.");
    expect(text).toContain("“setup.exe” can't be attached: Classroom accepts PDF");
    expect(await work.locator(".upload").count()).toBe(0);
    await screenshot(teacher, "files-refused");
    expect(creates.count()).toBe(0);
  });

  it("a file dropped on the composer uploads; removed before posting, it is not attached", async () => {
    const composer = teacher.locator("form.new-post");
    const dropped = await teacher.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["Bring an apron."], "apron.txt", { type: "text/plain" }));
      transfer.items.add(new File(["Still life at 10."], "timetable.txt", { type: "text/plain" }));
      return transfer;
    });
    const zone = composer.locator(".uploader");
    await zone.dispatchEvent("dragover", { dataTransfer: dropped });
    expect(await zone.getAttribute("class")).toContain("uploader-dragging");
    await zone.dispatchEvent("drop", { dataTransfer: dropped });
    await readyRow(composer, "apron.txt").waitFor();
    await readyRow(composer, "timetable.txt").waitFor();
    await composer.getByRole("button", { name: "Remove apron.txt" }).click();
    expect(await uploadRow(composer, "apron.txt").count()).toBe(0);
    await composer.getByLabel("Post to the class").fill("Friday's timetable.");
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    const post = teacher.locator("article.post", { hasText: "Friday's timetable." });
    const attachments = post.getByRole("list", { name: "Attachments" });
    await attachments.waitFor();
    expect(await attachments.getByRole("listitem").count()).toBe(1);
    expect(await attachments.innerText()).toContain("timetable.txt");
  });

  it("fits a phone: the assignment with its materials and the student's files, the composer with files, nothing sticking out sideways", async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone, webUrl, alexUser.email, alexUser.password);
      await openClass(phone, CLASS_NAME);
      await nav(phone, "Classwork").click();
      await assignmentLink(phone).click();
      await phone.getByRole("list", { name: "Materials" }).waitFor();
      await phone.getByRole("button", { name: "Unsubmit" }).click();
      const work = phone.locator(".your-work");
      // Work taken back keeps its files; another one joins them.
      await readyRow(work, "my-wheel.png").getByRole("img", { name: "Preview of my-wheel.png" }).waitFor();
      await work.getByLabel("Attach files").setInputFiles(writeTemp("a-rather-long-file-name-for-a-small-phone-screen-notes.txt", Buffer.from("notes")));
      await readyRow(work, "a-rather-long-file-name").waitFor();
      expect(await horizontalOverflow(phone)).toEqual([]);
      const turnIn = work.getByRole("button", { name: "Turn in" });
      await turnIn.scrollIntoViewIfNeeded();
      expect(await turnIn.isEnabled()).toBe(true);
      await screenshot(phone, "files-phone-your-work");
      await turnIn.click();
      await phone.getByRole("status").filter({ hasText: "Turned in." }).waitFor();
      const files = work.getByRole("list", { name: "Your files" });
      expect(await files.getByRole("listitem").count()).toBe(2);
      expect(await horizontalOverflow(phone)).toEqual([]);

      await nav(phone, "Stream & chat").click();
      await phone.getByRole("tab", { name: "Stream" }).click();
      await phone.locator("article.post", { hasText: "Palette for Thursday." }).getByRole("img", { name: "Preview of palette.png" }).waitFor({ timeout: SEEN_WITHIN });
      expect(await horizontalOverflow(phone)).toEqual([]);
      await screenshot(phone, "files-phone-stream");
    } finally {
      await phone.context().close();
    }
  });
});
