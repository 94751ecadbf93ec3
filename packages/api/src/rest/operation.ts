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
  run(caller: Caller, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }): Promise<unknown>;
}

/** Keeps each operation's `run` typed by its own schemas. */
export const op = <P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  operation: Operation<P, Q, B>,
) => operation as unknown as Operation;

/** A slice's operations, one for each of its routes' operation names. */
export type Operations<R extends ReadonlyArray<{ operation: string }>> = Record<R[number]["operation"], Operation>;
