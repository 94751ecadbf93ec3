/** Latency recording and summaries. */
export interface Summary {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests per second over the measured wall time. */
  throughput: number;
}

export class Recorder {
  private samples: number[] = [];
  errors = 0;
  private started = performance.now();
  private ended: number | undefined;

  add(ms: number, ok = true) {
    this.samples.push(ms);
    if (!ok) this.errors++;
  }

  stop() {
    this.ended = performance.now();
  }

  summary(): Summary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    const seconds = ((this.ended ?? performance.now()) - this.started) / 1000;
    return {
      count: sorted.length,
      errors: this.errors,
      p50: round(at(0.5)),
      p95: round(at(0.95)),
      p99: round(at(0.99)),
      throughput: round(sorted.length / seconds),
    };
  }
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}
