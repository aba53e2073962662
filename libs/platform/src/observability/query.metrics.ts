import type { LedgerEntry, Verification } from '@rag/core';
import type { Metrics } from './metrics';

/** The trace's `total` repeats the request latency, which the HTTP histogram already has. */
const SKIPPED_STAGES = new Set(['total']);

/**
 * Turns one finished search or chat, as its ledger row describes it, into metrics: stage timings,
 * each store's share of the fan-out, the cache lookup, whether it was degraded, and how its answer
 * fared in verification. Reading the row the query path writes anyway keeps metric calls out of it.
 */
export function recordQueryMetrics(metrics: Metrics, entry: LedgerEntry): void {
  const route = entry.trace.replayOf ? 'replay' : entry.kind;
  for (const { stage, ms } of entry.trace.stages) {
    if (!SKIPPED_STAGES.has(stage)) metrics.stageDuration.observe({ route, stage }, ms / 1000);
  }
  for (const store of entry.trace.stores) metrics.stageDuration.observe({ route, stage: store.store }, store.ms / 1000);
  if (route !== 'replay') metrics.cacheLookups.inc({ route, result: cacheResult(entry.trace.cache) });
  metrics.responses.inc({ route, degraded: entry.degraded.length > 0 ? 'true' : 'false' });
  for (const dependency of entry.degraded) metrics.degradedDependency.inc({ route, dependency });
  if (entry.verification) countSentences(metrics, entry.verification);
}

/** A bypassed lookup is one whose cache failed: the dashboards count it as an error. */
function cacheResult(cache: LedgerEntry['trace']['cache']): 'hit' | 'miss' | 'error' {
  return cache === 'bypass' ? 'error' : cache;
}

/** Sentences kept after verification, and those it found unsupported (removed or kept below the bar). */
function countSentences(metrics: Metrics, verification: Verification): void {
  const verified = verification.sentences.filter((s) => s.verdict === 'supported').length;
  const unsupported = verification.sentences.length - verified + verification.removed.length;
  if (verified > 0) metrics.verifiedSentences.inc({ result: 'verified' }, verified);
  if (unsupported > 0) metrics.verifiedSentences.inc({ result: 'unsupported' }, unsupported);
}
