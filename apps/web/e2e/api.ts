/**
 * The API as a signed-in browser page's person: a typed tRPC client carrying the access token the
 * page keeps in localStorage. For setting a scene quickly (classes, members, posts, assignments)
 * where driving the UI would only repeat what other e2e files already cover.
 */
import type { AppRouter } from "@classroom/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { Page } from "playwright-core";
import superjson from "superjson";

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

export async function apiAs(page: Page, apiUrl: string): Promise<Api> {
  const stored = await page.evaluate(() => localStorage.getItem("classroom.session"));
  const token = stored ? (JSON.parse(stored) as { accessToken?: string }).accessToken : undefined;
  if (!token) throw new Error("the page is not signed in");
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${apiUrl}/trpc`, transformer: superjson, headers: () => ({ authorization: `Bearer ${token}` }) })],
  });
}

/** A class of the teacher's with these students in it (added by email). */
export async function classWith(teacher: Api, name: string, studentEmails: string[]): Promise<string> {
  const { class_id } = await teacher.class.create.mutate({ name });
  for (const email of studentEmails) await teacher.member.add.mutate({ class_id, email, role: "student" });
  return class_id;
}
