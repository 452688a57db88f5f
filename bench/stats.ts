/**
 * Statistics for the benchmark: every figure is a distribution over repeated runs, reported with its
 * spread. Pure functions, checked by tests/unit/bench/stats.test.ts.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  mean: number;
  /** Nearest-rank 95th percentile: a value that was actually measured, never an interpolation. */
  p95: number;
  runs: number;
}

function sorted(samples: readonly number[]): number[] {
  const finite = samples.filter((x) => Number.isFinite(x));
  if (finite.length !== samples.length) throw new Error('a benchmark sample is not a finite number');
  if (finite.length === 0) throw new Error('no samples to summarise');
  return [...finite].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  const s = sorted(samples);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100): the smallest sample with at least p% of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const s = sorted(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const s = sorted(samples);
  return {
    median: median(s),
    min: s[0]!,
    max: s[s.length - 1]!,
    mean: s.reduce((sum, x) => sum + x, 0) / s.length,
    p95: percentile(s, 95),
    runs: s.length,
  };
}

/** Rounds for the report: two decimals below 10, one below 1000, none above. */
export function round(value: number): number {
  const abs = Math.abs(value);
  const digits = abs < 10 ? 2 : abs < 1000 ? 1 : 0;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One exchange of a clock probe: our clock before and after, and the other clock read in between. */
export interface ClockSample {
  sentAt: number;
  remoteAt: number;
  receivedAt: number;
}

/**
 * How far another process's clock is ahead of ours (remote = local + offset), NTP-style: the remote
 * reading is assumed to sit in the middle of the round trip, so the error of one sample is at most half
 * its round trip. The fastest round trips carry the least queueing noise, so the estimate is the median
 * over the quickest few; `uncertaintyMs` is half the quickest round trip.
 */
export function estimateClockOffset(samples: readonly ClockSample[], fastest = 3): { offsetMs: number; uncertaintyMs: number } {
  if (samples.length === 0) throw new Error('no clock samples');
  const byRoundTrip = [...samples].sort((a, b) => a.receivedAt - a.sentAt - (b.receivedAt - b.sentAt));
  const best = byRoundTrip.slice(0, Math.max(1, fastest));
  const offsets = best.map((s) => s.remoteAt - (s.sentAt + s.receivedAt) / 2);
  const quickest = byRoundTrip[0]!;
  return { offsetMs: median(offsets), uncertaintyMs: (quickest.receivedAt - quickest.sentAt) / 2 };
}
