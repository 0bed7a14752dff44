/** Summary statistics of a list of measurements (milliseconds unless said otherwise). */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The nearest-rank percentile (`p` in 0..100) of the values: the smallest value with at least p% of
 * the values at or below it. Nearest-rank never invents a value between two measurements, so a
 * p99 of 100 samples is the 99th largest sample, not an interpolation.
 * @example percentile([5, 1, 3], 50) // 3
 */
export function percentile(values: readonly number[], p: number): number {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Count, min, p50, p90, p99, max and mean of the finite values (NaN fields when there are none). */
export function summarise(values: readonly number[]): Summary {
  const finite = values.filter((value) => Number.isFinite(value));
  const mean = finite.length ? finite.reduce((sum, value) => sum + value, 0) / finite.length : Number.NaN;
  return {
    count: finite.length,
    min: finite.length ? Math.min(...finite) : Number.NaN,
    p50: percentile(finite, 50),
    p90: percentile(finite, 90),
    p99: percentile(finite, 99),
    max: finite.length ? finite.reduce((max, value) => (value > max ? value : max), -Infinity) : Number.NaN,
    mean,
  };
}

/** A duration for people: `0.42 ms`, `12.3 ms`, `1.52 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A count with thousands separators: `20,000`. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.round(value).toLocaleString('en-GB');
}
