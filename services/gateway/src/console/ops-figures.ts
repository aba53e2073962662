import type { LedgerSummary } from '@rag/core';

export interface LatencyFigures {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** The share of rows that match, or null when there are none (no traffic is not a 0 % hit ratio). */
export function shareOf(rows: readonly LedgerSummary[], test: (row: LedgerSummary) => boolean): number | null {
  return rows.length === 0 ? null : rows.filter(test).length / rows.length;
}

/** Nearest-rank percentiles of the rows' latencies, in milliseconds. */
export function latencyFigures(rows: readonly LedgerSummary[]): LatencyFigures {
  const sorted = rows.map((row) => row.latencyMs).sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * A question the system could not answer well: nothing found, hits that carry no fused score (only
 * a store weighted 0 found them, as the vector side is with the lexical embedder), or an answer that
 * failed verification.
 */
export function lacksGoodHit(row: LedgerSummary): boolean {
  return row.hitCount === 0 || (row.topScore ?? 0) <= 0 || row.verified === false;
}
