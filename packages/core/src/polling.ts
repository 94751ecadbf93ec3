/**
 * Adaptive chat polling: how soon a client asks a class's chat again.
 *
 * The server knows how long a class has been quiet (since its newest message, reaction, post
 * or comment) and puts a hint
 * in every poll answer (`poll_after_ms`, from `pollAfterMs`). The client knows what the server
 * cannot: whether its tab is hidden, whether the person typed or clicked lately, and whether
 * the last answer brought news. `nextPollDelay` combines both. Both clients (the web app and
 * the typed client) and the bench's school-day simulation use these two functions, so the
 * pace they measure is the pace that ships.
 *
 * Plain constants and pure functions with no imports, so browser code and the typed client
 * can bundle this module without pulling in the server (`@classroom/core/polling`).
 */

/** The pace while a class is active, and the slowest pace a client ever falls back to. */
export const POLL_FAST_MS = 3_000;
export const POLL_SLOW_MS = 15_000;

/**
 * The steps of the back-off: after `afterMs` of quiet (no message in the class, or no input
 * from the person), poll every `pollMs`. The first step is the fast pace.
 */
export const POLL_STEPS: ReadonlyArray<{ readonly afterMs: number; readonly pollMs: number }> = [
  { afterMs: 0, pollMs: POLL_FAST_MS },
  { afterMs: 60_000, pollMs: 6_000 },
  { afterMs: 3 * 60_000, pollMs: 10_000 },
  { afterMs: 10 * 60_000, pollMs: POLL_SLOW_MS },
];

/** How long a person's input (typing, a click, sending, coming back to the tab) keeps the fast pace. */
export const INPUT_KEEPS_FAST_MS = POLL_STEPS[1]!.afterMs;

/**
 * The server's hint: the pace for a class that has been quiet for `quietMs` (Infinity for a
 * class where nothing happened yet). A negative quiet time (a message stamped ahead of this clock) is
 * activity.
 */
export function pollAfterMs(quietMs: number): number {
  let pace = POLL_FAST_MS;
  for (const step of POLL_STEPS) if (quietMs >= step.afterMs) pace = step.pollMs;
  return pace;
}

export interface PollPace {
  /** The last answer's `poll_after_ms`; null or undefined before the first answer. */
  hintMs: number | null | undefined;
  /** Whether the last answer brought messages. */
  newMessages: boolean;
  /** Time since the person last typed, clicked, sent or came back to the tab. */
  sinceInputMs: number;
  /** Whether nobody can see the chat (a hidden browser tab). */
  hidden: boolean;
}

/**
 * The delay before the next poll, between POLL_FAST_MS and POLL_SLOW_MS:
 * - a hidden tab polls at the slow pace (enough to keep the unread badge current);
 * - news in the last answer, or input within INPUT_KEEPS_FAST_MS, means the fast pace;
 * - otherwise the slower of the server's hint and the person's own idle step, so a client
 *   never polls faster than the hint unless the person acts.
 * A client also polls sooner when input comes while it waits (it calls this again with
 * `sinceInputMs` 0 and moves its timer up), and at once when its tab becomes visible.
 */
export function nextPollDelay(pace: PollPace): number {
  if (pace.hidden) return POLL_SLOW_MS;
  if (pace.newMessages || pace.sinceInputMs < INPUT_KEEPS_FAST_MS) return POLL_FAST_MS;
  const hint = Number.isFinite(pace.hintMs) ? (pace.hintMs as number) : POLL_FAST_MS;
  const delay = Math.max(hint, pollAfterMs(pace.sinceInputMs));
  return Math.min(POLL_SLOW_MS, Math.max(POLL_FAST_MS, delay));
}

/** What a polling client knows when it plans its next poll (times in ms since the epoch). */
export interface PollState {
  /** When the last poll answered (or failed). */
  answeredAt: number;
  /** That answer's `poll_after_ms`, and whether it brought messages. */
  hintMs: number | null | undefined;
  newMessages: boolean;
  /** When the person last typed, clicked, sent or came back to the tab (the start counts). */
  inputAt: number;
  hidden: boolean;
}

/**
 * When the next poll is due. A client re-arms its timer with this whenever its state changes:
 * after each answer, on input (which moves the poll up to 3 s after the last answer) and when
 * its tab is hidden (which moves it back to 15 s after).
 */
export function pollDueAt(state: PollState): number {
  const { answeredAt, hintMs, newMessages, inputAt, hidden } = state;
  return answeredAt + nextPollDelay({ hintMs, newMessages, hidden, sinceInputMs: answeredAt - inputAt });
}
