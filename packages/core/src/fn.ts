import type { z } from "zod";
import type { Actor } from "./actor.ts";
import { invalidInput } from "./errors.ts";

/**
 * A domain operation bound to its input schema. The schema is exposed as `.schema` so
 * transports validate with the very same definition instead of restating it.
 * Input is parsed here as well, so core is safe to call directly (scripts, tests, stream).
 */
export type DomainFn<S extends z.ZodType, R, O = undefined> = ((
  input: z.input<S>,
  actor: Actor,
  options?: O,
) => Promise<R>) & { schema: S };

export function fn<S extends z.ZodType, R, O = undefined>(
  schema: S,
  body: (input: z.output<S>, actor: Actor, options?: O) => Promise<R>,
): DomainFn<S, R, O> {
  const run = async (input: z.input<S>, actor: Actor, options?: O) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw invalidInput(parsed.error.issues);
    return body(parsed.data, actor, options);
  };
  return Object.assign(run, { schema });
}
