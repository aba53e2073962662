import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from './latency.summary.js';

describe('latency percentiles', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    // Position (5 - 1) * 0.95 = 3.8: 40 + 0.8 * (50 - 40) = 48.
    expect(percentile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 10);
  });

  it('summarizes p50, p95, mean and max, and is all zeros for no samples', () => {
    const summary = summarizeLatency([1, 2, 3, 4, 10]);
    expect(summary.p50).toBe(3);
    expect(summary.p95).toBeCloseTo(8.8, 10);
    expect(summary.mean).toBe(4);
    expect(summary.max).toBe(10);
    expect(summarizeLatency([])).toEqual({ p50: 0, p95: 0, mean: 0, max: 0 });
  });
});
