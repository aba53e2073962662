import { Inject, Injectable } from '@nestjs/common';
import { ANSWER_CACHE, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type FailedDocument, type LedgerSummary, type ManagedStore, type OutboxStats, type SqlStore, type TenantId } from '@rag/core';
import { Metrics } from '@rag/platform';
import { lacksGoodHit, latencyFigures, type LatencyFigures, shareOf } from './ops-figures';

const LIVE_WINDOW_MS = 5 * 60_000;
const QPS_WINDOW_MS = 60_000;
const TIMELINE_MINUTES = 60;
const MAX_ROWS = 5_000;
const LIST_LIMIT = 50;

export interface StoreFigures {
  readonly name: string;
  readonly adapter: string;
  readonly ok: boolean;
  /** Round trip of the health check just made. */
  readonly checkMs: number;
  /** Mean time of this store's searches in this process since it started; null when it served none. */
  readonly meanSearchMs: number | null;
  readonly detail?: string;
}

export interface Overview {
  readonly windowSeconds: number;
  readonly requests: number;
  readonly qps: number;
  readonly latencyMs: LatencyFigures;
  readonly cacheHitRatio: number | null;
  readonly degradedShare: number | null;
  readonly noGoodHitShare: number | null;
  readonly stores: readonly StoreFigures[];
  readonly outbox: OutboxStats;
  readonly generatedAt: number;
}

export interface TimelineBucket {
  readonly start: number;
  readonly requests: number;
  readonly p95Ms: number | null;
  readonly cacheHitRatio: number | null;
  readonly degradedShare: number | null;
}

export interface Questions {
  readonly noGoodHit: readonly LedgerSummary[];
  readonly negativeFeedback: readonly { readonly requestId: string; readonly query: string | null; readonly comment: string | null; readonly subject: string; readonly createdAt: number }[];
}

/** The figures the operations console shows, read from the ledger, the stores and this process's metrics. */
@Injectable()
export class OpsConsoleService {
  private readonly stores: readonly [string, ManagedStore, string | null][];

  constructor(
    @Inject(SQL_STORE) private readonly sqlStore: SqlStore,
    @Inject(VECTOR_INDEX) vectorIndex: ManagedStore,
    @Inject(KEYWORD_INDEX) keywordIndex: ManagedStore,
    @Inject(ANSWER_CACHE) cache: ManagedStore,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    // The name the console shows, the store, and the stage its searches are timed under.
    this.stores = [
      ['sql', sqlStore, 'hydrate'],
      ['vector', vectorIndex, 'vector'],
      ['keyword', keywordIndex, 'keyword'],
      ['cache', cache, 'cache'],
    ];
  }

  async overview(tenantId: TenantId, now = Date.now()): Promise<Overview> {
    const [rows, stores, outbox] = await Promise.all([this.sqlStore.recentLedger(tenantId, now - LIVE_WINDOW_MS, MAX_ROWS), this.storeFigures(), this.sqlStore.outboxStats()]);
    return {
      windowSeconds: LIVE_WINDOW_MS / 1000,
      requests: rows.length,
      qps: rows.filter((row) => row.createdAt >= now - QPS_WINDOW_MS).length / (QPS_WINDOW_MS / 1000),
      latencyMs: latencyFigures(rows),
      cacheHitRatio: shareOf(rows, (row) => row.cacheHit),
      degradedShare: shareOf(rows, (row) => row.degraded.length > 0),
      noGoodHitShare: shareOf(rows, lacksGoodHit),
      stores,
      outbox,
      generatedAt: now,
    };
  }

  /** One bucket per minute over the last hour, oldest first, from the ledger. */
  async timeline(tenantId: TenantId, now = Date.now()): Promise<{ bucketSeconds: number; buckets: TimelineBucket[] }> {
    const first = Math.floor(now / 60_000) * 60_000 - (TIMELINE_MINUTES - 1) * 60_000;
    const rows = await this.sqlStore.recentLedger(tenantId, first, MAX_ROWS * 4);
    const byBucket = new Map<number, LedgerSummary[]>();
    for (const row of rows) {
      const start = Math.floor(row.createdAt / 60_000) * 60_000;
      byBucket.set(start, [...(byBucket.get(start) ?? []), row]);
    }
    const buckets = Array.from({ length: TIMELINE_MINUTES }, (_, i) => {
      const start = first + i * 60_000;
      const inBucket = byBucket.get(start) ?? [];
      return { start, requests: inBucket.length, p95Ms: latencyFigures(inBucket).p95, cacheHitRatio: shareOf(inBucket, (r) => r.cacheHit), degradedShare: shareOf(inBucket, (r) => r.degraded.length > 0) };
    });
    return { bucketSeconds: 60, buckets };
  }

  /** The last day's questions without a good hit, and the latest thumbs-down with the question asked. */
  async questions(tenantId: TenantId, now = Date.now()): Promise<Questions> {
    const [rows, down] = await Promise.all([this.sqlStore.recentLedger(tenantId, now - 24 * 3_600_000, MAX_ROWS), this.sqlStore.listFeedback(tenantId, LIST_LIMIT, 'down')]);
    const negativeFeedback = await Promise.all(
      down.map(async (feedback) => {
        const entry = await this.sqlStore.findLedgerEntry(tenantId, feedback.requestId);
        return { requestId: feedback.requestId, query: entry?.query ?? null, comment: feedback.comment, subject: feedback.subject, createdAt: feedback.createdAt };
      }),
    );
    return { noGoodHit: rows.filter(lacksGoodHit).slice(0, LIST_LIMIT), negativeFeedback };
  }

  failedDocuments(tenantId: TenantId): Promise<FailedDocument[]> {
    return this.sqlStore.failedDocuments(tenantId, LIST_LIMIT);
  }

  private async storeFigures(): Promise<StoreFigures[]> {
    const means = await this.meanStageSeconds();
    return Promise.all(
      this.stores.map(async ([name, store, stage]) => {
        const started = performance.now();
        const health = await store.health().catch((error: unknown) => ({ ok: false, adapter: 'unknown', detail: error instanceof Error ? error.message : String(error) }));
        const checkMs = Math.round((performance.now() - started) * 100) / 100;
        const mean = stage === null ? undefined : means.get(stage);
        return { name, ...health, checkMs, meanSearchMs: mean === undefined ? null : Math.round(mean * 100_000) / 100 };
      }),
    );
  }

  /** Mean seconds per stage over every route, from the stage histogram's sums and counts. */
  private async meanStageSeconds(): Promise<Map<string, number>> {
    const sums = new Map<string, { sum: number; count: number }>();
    const { values } = await this.metrics.stageDuration.get();
    for (const value of values) {
      const stage = String(value.labels.stage ?? '');
      const entry = sums.get(stage) ?? { sum: 0, count: 0 };
      if (value.metricName === 'rag_stage_duration_seconds_sum') entry.sum += value.value;
      if (value.metricName === 'rag_stage_duration_seconds_count') entry.count += value.value;
      sums.set(stage, entry);
    }
    return new Map([...sums].filter(([, e]) => e.count > 0).map(([stage, e]) => [stage, e.sum / e.count]));
  }
}
