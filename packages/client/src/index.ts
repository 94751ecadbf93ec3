/**
 * The typed Classroom client for other TypeScript services:
 *
 *   const classroom = createClient({ url: "https://api.example.edu", getToken: () => tokens.access });
 *   const page = await classroom.chat.list.query({ class_id });
 *
 * Calls are batched over HTTP (tRPC `httpBatchLink`) with superjson. Only the router's
 * TYPES come from the API package; nothing of the server is bundled (the build inlines them
 * into the package's one declaration file, see build.ts).
 */
import { MAX_BATCH_SIZE } from "@classroom/core/limits";
import { TRPCClientError, type TRPCClient, createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter, RouterInputs, RouterOutputs } from "@classroom/api";
import superjson from "superjson";

export type { AppRouter, RouterInputs, RouterOutputs };

export interface ClientOptions {
  /** The API's base URL (without /trpc). */
  url: string;
  /** Returns a current Cognito access token (ID tokens are refused); called for every batch. */
  getToken: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

export type ClassroomClient = TRPCClient<AppRouter>;

export function createClient(options: ClientOptions): ClassroomClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        maxItems: MAX_BATCH_SIZE, // the API refuses larger batches
        url: `${options.url.replace(/\/$/, "")}/trpc`,
        transformer: superjson,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        async headers() {
          const token = await options.getToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

/** The stable error code (`comment.not_found`, `auth.unauthorized`, ...) of a failed call, if any. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as { appCode?: string } | undefined)?.appCode;
  return undefined;
}

export { TRPCClientError };
export { type ChatWatch, type WatchChatOptions, watchChat } from "./watch.ts";

/**
 * The API's shared rules, so a client checks input and paces its polls as the API does: the
 * limits (lengths, sizes, file types, page sizes), the adaptive polling pace, and the kinds of
 * notification. The API enforces each; these are the same constants, not copies.
 */
export * from "@classroom/core/limits";
export * from "@classroom/core/polling";
export { EVENT_TYPES, type EventType } from "@classroom/core/notification/catalog";
