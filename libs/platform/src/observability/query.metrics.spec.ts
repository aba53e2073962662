import { toTenantId, type LedgerEntry } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';
import { recordQueryMetrics } from './query.metrics';

function chatEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    requestId: 'r1',
    tenantId: toTenantId('bank-a'),
    subject: 'teller-1',
    kind: 'chat',
    query: '金卡年费怎么免？',
    rewrittenQuery: null,
    sessionId: null,
    mode: 'hybrid',
    collection: null,
    cacheHit: false,
    degraded: ['vector'],
    hits: [{ chunkId: 'd@1#0', score: 0.02 }],
    answer: '刷卡满 6 次免年费。 [1]',
    citations: [],
    verification: {
      passed: false,
      minSupport: 0.5,
      sentences: [
        { sentence: '刷卡满 6 次免年费。', markers: [1], support: 1, verdict: 'supported' },
        { sentence: 'Fees are waived forever.', markers: [], support: 0, verdict: 'no-citation' },
      ],
      removed: ['An invented sentence.'],
      regenerated: false,
      fallbackUsed: false,
    },
    trace: {
      cache: 'miss',
      normalizedQuery: '金卡年费怎么免?',
      stages: [
        { stage: 'cache', ms: 1 },
        { stage: 'retrieve', ms: 20 },
        { stage: 'hydrate', ms: 4 },
        { stage: 'generate', ms: 300 },
        { stage: 'total', ms: 325 },
      ],
      stores: [
        { store: 'keyword', ok: true, ms: 12, hits: 3 },
        { store: 'vector', ok: false, ms: 20, hits: 0, error: 'timed out' },
      ],
      fused: [],
      pruned: 0,
    },
    latencyMs: 325,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/** A counter's value, or a histogram's observation count, for these labels. */
async function value(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const samples = (metric?.values ?? []) as Sample[];
  const counted = samples.filter((v) => v.metricName === undefined || v.metricName === `${name}_count`);
  return counted.find((v) => Object.entries(labels).every(([key, label]) => String(v.labels[key]) === label))?.value;
}

describe('metrics from a ledger row', () => {
  it('times every stage and each store, without the total the HTTP histogram has', async () => {
    const metrics = new Metrics();
    recordQueryMetrics(metrics, chatEntry());
    for (const stage of ['cache', 'retrieve', 'hydrate', 'generate', 'keyword', 'vector']) expect(await value(metrics, 'rag_stage_duration_seconds', { route: 'chat', stage })).toBe(1);
    expect(await value(metrics, 'rag_stage_duration_seconds', { route: 'chat', stage: 'total' })).toBeUndefined();
  });

  it('counts the cache lookup, a degraded response and verified against unsupported sentences', async () => {
    const metrics = new Metrics();
    recordQueryMetrics(metrics, chatEntry());
    recordQueryMetrics(metrics, chatEntry({ degraded: [], trace: { ...chatEntry().trace, cache: 'hit', stages: [{ stage: 'cache', ms: 0.2 }], stores: [] }, verification: null }));
    recordQueryMetrics(metrics, chatEntry({ trace: { ...chatEntry().trace, cache: 'bypass' }, verification: null }));
    expect(await value(metrics, 'rag_cache_lookups_total', { route: 'chat', result: 'miss' })).toBe(1);
    expect(await value(metrics, 'rag_cache_lookups_total', { route: 'chat', result: 'hit' })).toBe(1);
    expect(await value(metrics, 'rag_cache_lookups_total', { route: 'chat', result: 'error' })).toBe(1);
    expect(await value(metrics, 'rag_query_responses_total', { route: 'chat', degraded: 'true' })).toBe(2);
    expect(await value(metrics, 'rag_query_responses_total', { route: 'chat', degraded: 'false' })).toBe(1);
    expect(await value(metrics, 'rag_answer_sentences_total', { result: 'verified' })).toBe(1);
    // One kept sentence without a citation, one removed by verification.
    expect(await value(metrics, 'rag_answer_sentences_total', { result: 'unsupported' })).toBe(2);
  });

  it('files a replay under its own route and counts no cache lookup for it', async () => {
    const metrics = new Metrics();
    recordQueryMetrics(metrics, chatEntry({ trace: { ...chatEntry().trace, cache: 'bypass', replayOf: 'r0' } }));
    expect(await value(metrics, 'rag_query_responses_total', { route: 'replay', degraded: 'true' })).toBe(1);
    expect(await value(metrics, 'rag_cache_lookups_total', { route: 'replay', result: 'error' })).toBeUndefined();
  });
});
