/**
 * EventBridge's event-pattern matching, for the local bus: the same rules Classroom gives
 * EventBridge on AWS decide locally which events reach the notifier.
 *
 * Semantics (as EventBridge documents them): every field of the pattern must match (AND); a
 * field's array of values matches when any of them does (OR); a nested object matches the
 * event's nested object; when the event's value is an array, it matches when any element
 * does. Leaf values are exact matches (strings, numbers, booleans, null) or one of the
 * operators below. A field the event lacks matches only `{ "exists": false }`.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Pattern = { [field: string]: Pattern | ReadonlyArray<unknown> };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function matches(pattern: Pattern, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const present = Object.prototype.hasOwnProperty.call(event, field);
    const value = event[field];
    if (!Array.isArray(expected)) {
      // A nested pattern: the event must have an object here.
      return present && isObject(value) && matches(expected as Pattern, value);
    }
    return (expected as unknown[]).some((rule) => leafMatches(rule, present, value));
  });
}

function leafMatches(rule: unknown, present: boolean, value: unknown): boolean {
  if (isObject(rule)) {
    if ("exists" in rule) return rule.exists === present;
    if (!present) return false;
    const values = Array.isArray(value) ? (value as Json[]) : [value as Json];
    return values.some((one) => operatorMatches(rule, one));
  }
  if (!present) return false;
  const values = Array.isArray(value) ? (value as Json[]) : [value as Json];
  return values.some((one) => one === rule);
}

function operatorMatches(rule: Record<string, unknown>, value: Json): boolean {
  if ("prefix" in rule) return stringTest(rule.prefix, value, (v, p) => v.startsWith(p));
  if ("suffix" in rule) return stringTest(rule.suffix, value, (v, s) => v.endsWith(s));
  if ("equals-ignore-case" in rule) return typeof value === "string" && typeof rule["equals-ignore-case"] === "string" && value.toLowerCase() === rule["equals-ignore-case"].toLowerCase();
  if ("numeric" in rule) return numericMatches(rule.numeric as unknown[], value);
  if ("anything-but" in rule) {
    const but = rule["anything-but"];
    if (isObject(but)) return !operatorMatches(but, value) && (typeof value === "string");
    const excluded = Array.isArray(but) ? but : [but];
    return !excluded.some((e) => e === value);
  }
  throw new Error(`event pattern operator not supported locally: ${JSON.stringify(rule)}`);
}

/** `prefix`/`suffix` take a string, or `{ "equals-ignore-case": string }`. */
function stringTest(operand: unknown, value: Json, test: (value: string, operand: string) => boolean): boolean {
  if (typeof value !== "string") return false;
  if (typeof operand === "string") return test(value, operand);
  if (isObject(operand) && typeof operand["equals-ignore-case"] === "string") return test(value.toLowerCase(), operand["equals-ignore-case"].toLowerCase());
  return false;
}

/** `numeric: [op, n]` or `[op, n, op, n]` with =, <, <=, >, >=. Only numbers match. */
function numericMatches(conditions: unknown[], value: Json): boolean {
  if (typeof value !== "number") return false;
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = conditions[i + 1] as number;
    const ok =
      op === "=" ? value === bound : op === "<" ? value < bound : op === "<=" ? value <= bound : op === ">" ? value > bound : op === ">=" ? value >= bound : false;
    if (!ok) return false;
  }
  return true;
}
