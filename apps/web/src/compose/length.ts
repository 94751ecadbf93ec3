/**
 * How long a text is against its limit, as the API counts it (trimmed, in UTF-16 code units,
 * JavaScript's string length). Text over the limit is refused with a reason, never cut short.
 */

/** Show the counter from this share of the limit on. */
const NEAR = 0.9;

export interface LengthState {
  length: number;
  max: number;
  /** Characters left; negative when over. */
  remaining: number;
  /** Worth showing a counter. */
  near: boolean;
  over: boolean;
}

export function lengthState(text: string, max: number): LengthState {
  const length = text.trim().length;
  const remaining = max - length;
  return { length, max, remaining, near: length >= max * NEAR, over: remaining < 0 };
}

const number = new Intl.NumberFormat();

/** The counter's words: "180 characters left", "1 character left", "3,000 characters over the limit". */
export function counterText({ remaining }: LengthState): string {
  const n = Math.abs(remaining);
  const unit = n === 1 ? "character" : "characters";
  return remaining >= 0 ? `${number.format(n)} ${unit} left` : `${number.format(n)} ${unit} over the limit`;
}

/** Why it cannot be sent: said once, the same while the person shortens it. */
export function refusalText({ max }: LengthState, what: string): string {
  return `This ${what} is too long to send. Shorten it to ${number.format(max)} characters or fewer.`;
}
