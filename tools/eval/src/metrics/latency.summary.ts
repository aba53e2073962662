export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
  readonly max: number;
}

/** The q-quantile (0..1) by linear interpolation between closest ranks, as numpy's default does. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export function summarizeLatency(millis: readonly number[]): LatencySummary {
  const mean = millis.length === 0 ? 0 : millis.reduce((sum, ms) => sum + ms, 0) / millis.length;
  return { p50: percentile(millis, 0.5), p95: percentile(millis, 0.95), mean, max: millis.reduce((top, ms) => Math.max(top, ms), 0) };
}
