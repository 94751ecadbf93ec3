/**
 * Recommendations in the browser. Two students open a post and an assignment of a class (one
 * through the UI, which records each opening, the other through the API), the class's model is
 * trained (the job the schedule runs, called here rather than waited for), and then:
 * - the assignment's page shows the post under "Related", and following it opens the post,
 *   which in turn lists the assignment; when that list fails to load, the page stays whole and
 *   a one-line retry brings it;
 * - a classmate with no history sees the class's popular items under "Recommended for you" on
 *   the stream, and following one opens it; expanding a post's comments shows what is related to it;
 * - in a class with nothing to go on there is no panel at all: no heading, no empty box.
 * Both layouts (1280×800 and 390×844) are checked for the Related panel.
 */
import * as Recommendation from "@classroom/core/recommendation";
import { TABLE_ENV } from "@classroom/core/table";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { assignmentHref, classHref, postHref } from "../src/route.ts";
import { type Api, apiAs, classWith } from "./api.ts";
import { horizontalOverflow, launch, newPage, screenshot, signIn, until } from "./browser.ts";

const { webUrl, apiUrl, demo, fixtures } = inject("e2e");
const { teacher: teacherUser, student1: alexUser, student2: samUser } = demo.users;
const rileyUser = fixtures.users.riley;

const POST = "Cell diagram: label the nucleus, the membrane and the mitochondria.";
const LAB = "Microscope lab report";
const QUIET_POST = "Quarry field trip: wear boots.";
const QUIET_ASSIGNMENT = "Rock samples log";

let browser: Browser;
let alex: Page;
let riley: Page;
let biology: string;
let geology: string;
let postId: string;
let labId: string;
let quietAssignmentId: string;

/** Time for the page to draw an answer it has received (the query's listeners are told on a timer). */
const SETTLE_MS = 500;

/** The answer to the next call of a tRPC procedure (batched calls carry every name in the URL), about `id` when given. */
const answered = (page: Page, procedure: string, id?: string) =>
  page.waitForResponse((r) => {
    const url = decodeURIComponent(r.url());
    return url.includes("/trpc/") && url.includes(procedure) && (!id || url.includes(id));
  });

const related = (page: Page) => page.getByRole("region", { name: "Related" });
const forYou = (page: Page) => page.getByRole("region", { name: "Recommended for you" });

async function open(page: Page, hash: string) {
  await page.goto(`${webUrl}${hash}`);
}

beforeAll(async () => {
  if (!process.env[TABLE_ENV]) throw new Error(`${TABLE_ENV} is not set: the e2e stack's environment should reach the test process`);
  browser = await launch();
  const teacherPage = await newPage(browser);
  const samPage = await newPage(browser);
  alex = await newPage(browser);
  riley = await newPage(browser);
  await signIn(teacherPage, webUrl, teacherUser.email, teacherUser.password);
  await signIn(samPage, webUrl, samUser.email, samUser.password);
  await signIn(alex, webUrl, alexUser.email, alexUser.password);
  await signIn(riley, webUrl, rileyUser.email, rileyUser.password);
  const teacher: Api = await apiAs(teacherPage, apiUrl);
  const sam: Api = await apiAs(samPage, apiUrl);

  biology = await classWith(teacher, "Biology 10B", [alexUser.email, samUser.email, rileyUser.email]);
  ({ post_id: postId } = await teacher.post.create.mutate({ class_id: biology, content: POST, kind: "discussion" }));
  ({ assignment_id: labId } = await teacher.assignment.create.mutate({ class_id: biology, title: LAB, state: "published" }));
  await teacher.assignment.create.mutate({ class_id: biology, title: "Nobody opened this one", state: "published" });

  geology = await classWith(teacher, "Geology 10C", [rileyUser.email]);
  await teacher.post.create.mutate({ class_id: geology, content: QUIET_POST, kind: "discussion" });
  ({ assignment_id: quietAssignmentId } = await teacher.assignment.create.mutate({ class_id: geology, title: QUIET_ASSIGNMENT, state: "published" }));

  // Sam opens both through the API; Alex opens both in the browser, below.
  await sam.recommendation.record.mutate({ item_type: "assignment", item_id: labId });
  await sam.recommendation.record.mutate({ item_type: "post", item_id: postId });
  await teacherPage.close();
  await samPage.close();
});

afterAll(async () => {
  await browser?.close();
});

describe("recommendations", () => {
  it("opening an assignment and a post records each once, and before training there is nothing to show", async () => {
    const recordedLab = answered(alex, "recommendation.record");
    const similarLab = answered(alex, "recommendation.similar", labId);
    await open(alex, assignmentHref(biology, labId));
    await alex.getByRole("heading", { name: LAB, level: 2 }).waitFor();
    expect((await recordedLab).ok()).toBe(true);
    expect((await similarLab).ok()).toBe(true);
    await alex.waitForTimeout(SETTLE_MS);
    expect(await related(alex).count()).toBe(0);

    // A link to the post opens it in the stream: that counts as opening it.
    const recordedPost = answered(alex, "recommendation.record");
    await open(alex, postHref(biology, postId));
    await alex.locator("article.post", { hasText: POST }).waitFor();
    expect((await recordedPost).ok()).toBe(true);

    const stored = await Recommendation.interactionsOf(biology, alexUser.user_id);
    expect(stored.map((x) => `${x.item_type}:${x.item_id}:${x.kind}`).sort()).toEqual([`assignment:${labId}:opened`, `post:${postId}:opened`]);
  });

  it("after training, the assignment's Related panel shows the post, and following it opens the post", async () => {
    const trained = await Recommendation.trainClass(biology);
    expect(trained.users).toBe(2);

    await open(alex, assignmentHref(biology, labId));
    await alex.reload(); // a fresh load: the panel's answer is kept for half an hour otherwise
    await alex.getByRole("heading", { name: LAB, level: 2 }).waitFor();
    const link = related(alex).getByRole("link", { name: new RegExp(POST.slice(0, 30)) });
    await link.waitFor();
    expect(await related(alex).getByRole("link").count()).toBe(1); // only what someone opened with it; never the page's own item
    expect(await related(alex).getByRole("heading", { name: "Related" }).count()).toBe(1);

    await link.click();
    expect(new URL(alex.url()).hash).toBe(postHref(biology, postId));
    const post = alex.locator("article.post", { hasText: POST });
    await post.waitFor();
    // The linked post is the opened one: what is related to it shows under it.
    const back = post.getByRole("region", { name: "Related" }).getByRole("link", { name: LAB });
    await back.waitFor();
    await back.click();
    await alex.getByRole("heading", { name: LAB, level: 2 }).waitFor();
  });

  it("when suggestions fail to load, the page stays whole and a small retry brings them", async () => {
    // The batch is answered for real, except the Related panel's call, which fails as a server error would.
    const failSimilar = async (route: Route) => {
      const response = await route.fetch();
      const names = decodeURIComponent(new URL(route.request().url()).pathname.split("/trpc/")[1] ?? "").split(",");
      const body = (await response.json()) as unknown[];
      body[names.indexOf("recommendation.similar")] = {
        error: { json: { message: "Service unavailable", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 503, appCode: "internal" } } },
      };
      await route.fulfill({ response, json: body });
    };
    const matches = (url: URL) => url.pathname.includes("recommendation.similar");
    await alex.route(matches, failSimilar);
    await open(alex, assignmentHref(biology, labId));
    await alex.reload();
    await alex.getByRole("heading", { name: LAB, level: 2 }).waitFor();
    const failed = alex.locator(".recs-failed");
    await failed.waitFor({ timeout: 15_000 }); // after the query's own retry
    expect(await failed.innerText()).toContain("Suggestions didn't load.");
    expect(await related(alex).count()).toBe(0);
    expect(await alex.locator(".state-error").count()).toBe(0);
    expect(await alex.getByLabel("Your answer (optional)").isVisible()).toBe(true);

    await alex.unroute(matches, failSimilar);
    await failed.getByRole("button", { name: "Try again" }).click();
    await related(alex).getByRole("link", { name: new RegExp(POST.slice(0, 30)) }).waitFor();
    expect(await failed.count()).toBe(0);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`the Related panel fits a ${viewport.width}×${viewport.height} screen`, async () => {
      await alex.setViewportSize(viewport);
      await open(alex, assignmentHref(biology, labId));
      const panel = related(alex);
      await panel.getByRole("link").first().waitFor();
      await panel.scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(alex)).toEqual([]);
      const box = await panel.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= viewport.width).toBe(true);
      await screenshot(alex, `recommendations-related-${viewport.width}`);
    });
  }

  it("a classmate with no history gets the class's popular items on the stream, and one opens", async () => {
    const answer = answered(riley, "recommendation.forClass", biology);
    await open(riley, classHref(biology));
    expect((await answer).ok()).toBe(true);
    const panel = forYou(riley);
    await panel.waitFor();
    const titles = await panel.getByRole("link").allInnerTexts();
    expect(titles.some((t) => t.includes(LAB))).toBe(true);
    expect(titles.some((t) => t.includes("Nobody opened this one"))).toBe(false);
    await screenshot(riley, "recommendations-for-you");
    // Expanding a post's comments opens it: what is related to it shows under it.
    const post = riley.locator("article.post", { hasText: POST });
    await post.getByRole("button", { name: /comments/ }).click();
    await post.getByRole("region", { name: "Related" }).getByRole("link", { name: LAB }).waitFor();
    await panel.getByRole("link", { name: new RegExp(LAB) }).click();
    await riley.getByRole("heading", { name: LAB, level: 2 }).waitFor();
    expect(new URL(riley.url()).hash).toBe(assignmentHref(biology, labId));
    // What Riley opened drops out of "Recommended for you" at once, without a reload.
    await riley.getByRole("navigation", { name: "Class sections" }).getByRole("link", { name: "Stream & chat", exact: true }).click();
    await until(async () => (await panel.getByRole("link", { name: new RegExp(LAB) }).count()) === 0, true, 10_000);
  });

  it("with nothing to go on, there is no panel at all", async () => {
    // The stream (and its panel) loads with the class, whichever section is open.
    const forClass = answered(riley, "recommendation.forClass", geology);
    const similar = answered(riley, "recommendation.similar", quietAssignmentId);
    await open(riley, assignmentHref(geology, quietAssignmentId));
    await riley.getByRole("heading", { name: QUIET_ASSIGNMENT, level: 2 }).waitFor();
    expect((await similar).ok()).toBe(true);
    await riley.waitForTimeout(SETTLE_MS);
    expect(await related(riley).count()).toBe(0);
    expect(await riley.locator(".recs, .recs-failed").count()).toBe(0);

    await open(riley, classHref(geology));
    await riley.locator("article.post", { hasText: QUIET_POST }).waitFor();
    expect((await forClass).ok()).toBe(true);
    await riley.waitForTimeout(SETTLE_MS);
    expect(await forYou(riley).count()).toBe(0);
    expect(await riley.getByText("Recommended for you").count()).toBe(0);
    expect(await riley.locator(".recs, .recs-failed").count()).toBe(0);
  });
});
