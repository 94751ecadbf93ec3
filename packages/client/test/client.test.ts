/**
 * The client's own behaviour, against an in-process tRPC server passed as `fetch`: a stand-in
 * router with the API's wire format (superjson, `appCode` in the error data) and procedures
 * named like the API's, so nothing but the client is under test here.
 */
import { TRPCError, initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { TRPCClientError, createClient, errorCode } from "../src/index.ts";

const t = initTRPC.create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, appCode: (error.cause as { code?: string } | undefined)?.code ?? "internal" },
  }),
});

const standIn = t.router({
  health: t.procedure.query(() => ({ ok: true as const })),
  chat: t.router({
    list: t.procedure.query(() => {
      throw new TRPCError({ code: "NOT_FOUND", message: "No class with this id was found.", cause: Object.assign(new Error(), { code: "class.not_found" }) });
    }),
  }),
});

interface Served {
  /** Procedure paths per HTTP request, in order. */
  requests: string[][];
  authorization: Array<string | null>;
  fetch: typeof fetch;
}

function serve(): Served {
  const served: Served = {
    requests: [],
    authorization: [],
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const paths = new URL(request.url).pathname.replace(/^\/trpc\//, "");
      served.requests.push(paths.split(","));
      served.authorization.push(request.headers.get("authorization"));
      return fetchRequestHandler({ endpoint: "/trpc", req: request, router: standIn });
    },
  };
  return served;
}

describe("createClient", () => {
  it("splits a burst of calls into batches the API accepts (at most 25 calls each)", async () => {
    const served = serve();
    const client = createClient({ url: "http://api.test", getToken: () => "token", fetch: served.fetch });
    const results = await Promise.all(Array.from({ length: 60 }, () => client.health.query()));
    expect(results).toHaveLength(60);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(served.requests.map((paths) => paths.length)).toEqual([25, 25, 10]);
  });

  it("sends the token from getToken as a bearer token, and none when it returns nothing", async () => {
    const served = serve();
    let token: string | undefined = "first";
    const client = createClient({ url: "http://api.test/", getToken: async () => token, fetch: served.fetch });
    await client.health.query();
    token = undefined;
    await client.health.query();
    expect(served.authorization).toEqual(["Bearer first", null]);
  });
});

describe("errorCode", () => {
  it("returns the API's stable code of a refused call", async () => {
    const client = createClient({ url: "http://api.test", getToken: () => "token", fetch: serve().fetch });
    const error = await client.chat.list.query({ class_id: "01J0000000000000000000000" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(errorCode(error)).toBe("class.not_found");
    expect((error as Error).message).toBe("No class with this id was found.");
  });

  it("returns undefined when no response came back, and for errors of other origins", async () => {
    const client = createClient({
      url: "http://api.test",
      getToken: () => "token",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    const error = await client.health.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(errorCode(error)).toBeUndefined();
    expect(errorCode(new Error("boom"))).toBeUndefined();
    expect(errorCode({ data: { appCode: "class.not_found" } })).toBeUndefined();
  });
});
