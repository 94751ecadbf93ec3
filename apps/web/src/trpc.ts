/**
 * The tRPC + TanStack Query wiring. Only the API's TYPES are imported; calls go over HTTP
 * (batched, superjson) with the session's access token. An UNAUTHORIZED answer is retried
 * once after forcing a token refresh; if that fails too the session ends (see session.ts).
 */
import type { AppRouter } from "@classroom/api";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, retryLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import type { SessionStore } from "./auth/session.ts";
import { isTransient, isUnauthorized } from "./ui/errors.ts";
import { MAX_BATCH_SIZE } from "@classroom/client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createApiClient(apiUrl: string, session: SessionStore) {
  return createTRPCClient<AppRouter>({
    links: [
      retryLink({
        retry({ error, attempts }) {
          if (attempts === 1 && isUnauthorized(error)) {
            session.rejectAccessToken(null);
            return true;
          }
          return false;
        },
      }),
      httpBatchLink({
        maxItems: MAX_BATCH_SIZE, // the API refuses larger batches
        url: `${apiUrl}/trpc`,
        transformer: superjson,
        async headers() {
          const token = await session.accessToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

export function createQueryClient(session: SessionStore) {
  const endSession = (error: unknown) => {
    if (isUnauthorized(error)) session.signOut("Your session has ended. Please sign in again.");
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: endSession }),
    mutationCache: new MutationCache({ onError: endSession }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => failures < 2 && isTransient(error),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
