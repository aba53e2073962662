import type { LedgerSummary } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { lacksGoodHit, latencyFigures, shareOf } from './ops-figures';

const row = (latencyMs: number, extra: Partial<LedgerSummary> = {}): LedgerSummary => ({
  requestId: `r${latencyMs}`,
  kind: 'search',
  query: '金卡年费',
  cacheHit: false,
  degraded: [],
  hitCount: 3,
  topScore: 0.016,
  verified: null,
  latencyMs,
  createdAt: 0,
  ...extra,
});

describe('console figures', () => {
  it('take nearest-rank percentiles of latency', () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(i + 1));
    expect(latencyFigures(rows)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(latencyFigures([row(7)])).toEqual({ p50: 7, p95: 7, p99: 7 });
    expect(latencyFigures([])).toEqual({ p50: null, p95: null, p99: null });
  });

  it('give no share at all without traffic, rather than 0 %', () => {
    expect(shareOf([], (r) => r.cacheHit)).toBeNull();
    expect(shareOf([row(1, { cacheHit: true }), row(2), row(3), row(4)], (r) => r.cacheHit)).toBe(0.25);
  });

  it('call a question unanswered when nothing or nothing weighted was found, or its answer failed verification', () => {
    expect(lacksGoodHit(row(1))).toBe(false);
    expect(lacksGoodHit(row(1, { hitCount: 0, topScore: null }))).toBe(true);
    expect(lacksGoodHit(row(1, { topScore: 0 }))).toBe(true);
    expect(lacksGoodHit(row(1, { kind: 'chat', verified: false }))).toBe(true);
  });
});
