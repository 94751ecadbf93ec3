/** How standings read on screen: averages, ranks, and which students to mark. */
import { AT_RISK_SCORE, TOP_PERFORMER_SCORE } from "@classroom/client";

/** "85.5%" (2 decimals at most, as the API gives it). */
export const percent = (score: number) => `${score}%`;

/** The marks a ranked student gets: top performer above the threshold, flagged below the at-risk line. */
export function marks(score: number): { top: boolean; atRisk: boolean } {
  return { top: score > TOP_PERFORMER_SCORE, atRisk: score < AT_RISK_SCORE };
}

/** "over 3 graded assignments" */
export const basis = (count: number) => `over ${count} graded assignment${count === 1 ? "" : "s"}`;

/** "2nd of 25", or null when there is no rank to show. */
export function rankLabel(rank: number | null, of: number | null): string | null {
  if (rank === null || of === null) return null;
  return `${ordinal(rank)} of ${of}`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

export { AT_RISK_SCORE, TOP_PERFORMER_SCORE };
