/**
 * A REST operation: the request schemas (validation and the OpenAPI document), the response
 * schema, and how it calls the SAME tRPC procedure the typed clients use (through a
 * server-side caller). Each domain's slice (`router/<domain>/index.ts`) defines its own.
 */
import type * as z from "zod";
import type { createCaller } from "../root.ts";

export type Caller = ReturnType<typeof createCaller>;

export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  summary: string;
  description?: string;
  /** Success status; 200 unless said. */
  status?: number;
  params?: P;
  query?: Q;
  body?: B;
  response: z.ZodType;
  /**
   * Media types the operation can also answer with, besides JSON (`response`), when the request
   * asks for one (a query parameter or `Accept`); `run` then returns a `Download`.
   */
  produces?: readonly string[];
  /** Failures it may answer with besides those every operation of its kind may (documented as such). */
  errors?: readonly number[];
  run(
    caller: Caller,
    input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; /** The request's `Accept` header. */ accept: string | null },
  ): Promise<unknown>;
}

/** A success answer that is not JSON (a CSV export): the adapter sends `body` as it is, with its media type. */
export class Download {
  readonly contentType: string;
  readonly body: string;
  /** Offered to the browser as the file's name. */
  readonly filename: string | undefined;

  constructor(contentType: string, body: string, filename?: string) {
    this.contentType = contentType;
    this.body = body;
    this.filename = filename;
  }

  /** Content-Type, and Content-Disposition with an ASCII fallback name and the exact UTF-8 one (RFC 6266). */
  headers(): Record<string, string> {
    if (!this.filename) return { "content-type": this.contentType };
    const ascii = this.filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
    const exact = encodeURIComponent(this.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return { "content-type": this.contentType, "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${exact}` };
  }
}

/** Keeps each operation's `run` typed by its own schemas. */
export const op = <P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  operation: Operation<P, Q, B>,
) => operation as unknown as Operation;

/** A slice's operations, one for each of its routes' operation names. */
export type Operations<R extends ReadonlyArray<{ operation: string }>> = Record<R[number]["operation"], Operation>;
