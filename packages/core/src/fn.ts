import type { z } from "zod";
import type { Actor } from "./actor.ts";
import { invalidInput } from "./errors.ts";

/**
 * A domain operation bound to its input and output schemas. Both are exposed (`.schema`,
 * `.output`) so transports reuse the very same definitions instead of restating them: tRPC
 * validates input with `.schema`, the REST adapter and the OpenAPI document describe the
 * response with `.output`, and the TypeScript result type is inferred from it.
 * Input is parsed here as well, so core is safe to call directly (scripts, tests, stream).
 * Output is typed, not re-parsed at run time (the hot path stays cheap); the HTTP suites
 * check served bodies against the published document.
 */
export type DomainFn<S extends z.ZodType, O extends z.ZodType, Options = undefined> = ((
  input: z.input<S>,
  actor: Actor,
  options?: Options,
) => Promise<z.output<O>>) & { schema: S; output: O };

export function fn<S extends z.ZodType, O extends z.ZodType, Options = undefined>(
  schema: S,
  output: O,
  body: (input: z.output<S>, actor: Actor, options?: Options) => Promise<z.output<O>>,
): DomainFn<S, O, Options> {
  const run = async (input: z.input<S>, actor: Actor, options?: Options) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw invalidInput(parsed.error.issues);
    return body(parsed.data, actor, options);
  };
  return Object.assign(run, { schema, output });
}
