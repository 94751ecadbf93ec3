/** The choice of the API's front (see api.ts), read from the deploy's environment; pure, so tests import it. */
export const API_FRONTS = ["url", "gateway"] as const;
export type ApiFront = (typeof API_FRONTS)[number];

export function apiFrontFrom(value: string | undefined): ApiFront {
  const front = value || "url";
  if (!(API_FRONTS as readonly string[]).includes(front)) throw new Error(`CLASSROOM_API_FRONT must be one of ${API_FRONTS.join(", ")}; got "${front}"`);
  return front as ApiFront;
}

/** The function URL's throttle: the most requests served at once. */
export function apiConcurrencyFrom(value: string | undefined): number {
  const concurrency = value ? Number(value) : 100;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`CLASSROOM_API_CONCURRENCY must be a positive whole number; got "${value}"`);
  return concurrency;
}
