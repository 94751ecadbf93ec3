/**
 * Lambda entry point for the recommendations' training job. On AWS an hourly schedule invokes
 * it (infra/jobs.ts); under `pnpm dev` the local stack calls it on a timer, and
 * `pnpm recs:train` runs the same job on demand. It trains the classes with new interactions,
 * oldest first, while time remains (the rest stay due for the next run). A class whose
 * training fails goes back on the queue; once the others are done the invocation fails, so
 * the function's Errors metric, and the alarm on it, see every failed run.
 */
import * as Recommendation from "@classroom/core/recommendation";
import type { Context } from "aws-lambda";
import { logger } from "../log.ts";

/** Time kept free at the end of the invocation: no class is started after that. */
const RESERVE_MS = 2 * 60_000;

export interface TrainingSummary {
  trained: number;
  failed: number;
  left: number;
  interactions: number;
  duration_ms: number;
}

export async function handler(_event?: unknown, context?: Pick<Context, "getRemainingTimeInMillis">): Promise<TrainingSummary> {
  const budgetMs = context ? Math.max(0, context.getRemainingTimeInMillis() - RESERVE_MS) : undefined;
  const run = await Recommendation.trainDue(budgetMs === undefined ? {} : { budgetMs });
  const summary: TrainingSummary = {
    trained: run.trained.length,
    failed: run.failed.length,
    left: run.left,
    interactions: run.trained.reduce((sum, t) => sum + t.interactions, 0),
    duration_ms: run.duration_ms,
  };
  for (const { class_id, error } of run.failed) logger.error("recommendations: class not trained", { class_id, error: error as Error });
  if (summary.trained + summary.failed + summary.left > 0) logger.info("recommendations trained", { ...summary });
  if (run.failed.length > 0) throw new Error(`Recommendations: training failed for ${run.failed.length} of ${run.failed.length + run.trained.length} classes`);
  return summary;
}
