/** Small numeric helpers for the benchmarks: percentiles and human-readable numbers. */

/** nearest-rank percentile (p in 0..100) of samples; NaN when there are none */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

/** 1234567.8 → "1,234,568" */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** milliseconds with precision that suits their size */
export const ms = (n: number) =>
  Number.isNaN(n) ? 'n/a' : `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms`;

/** 1000000 → "1 M", 250000 → "250 k" */
export function count(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000} M`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000} k`;
  return int(n);
}

export const seconds = (msElapsed: number) => `${(msElapsed / 1000).toFixed(1)} s`;
