import type { KeywordIndex, SqlStore, TenantId, VectorIndex } from '@rag/core';
import type { IndexWriter } from './index.writer';

const PAGE_SIZE = 1_000;

/** How one derived index differs from SQL's active chunks. */
export interface IndexDifferences {
  readonly held: number;
  /** Active in SQL, absent from the index: readers would never find them there. */
  readonly missing: readonly string[];
  /** In the index, not active in SQL: an old version, a deleted document, or work in progress. */
  readonly extra: readonly string[];
}

export interface ReconcileReport {
  readonly tenantId: TenantId;
  readonly activeChunks: number;
  readonly vector: IndexDifferences;
  readonly keyword: IndexDifferences;
  /** Outbox events not yet done: while any remain, some differences are work in progress. */
  readonly pendingEvents: number;
}

export function differenceCount(report: ReconcileReport): number {
  return report.vector.missing.length + report.vector.extra.length + report.keyword.missing.length + report.keyword.extra.length;
}

/**
 * Compares the chunk ids in the vector and the keyword index with the active chunks in SQL, the
 * source of truth, and repairs the indexes from it: missing chunks are written (their vectors
 * mostly from the embedding cache), extra ones removed from the index that holds them.
 */
export class IndexReconciler {
  constructor(
    private readonly sqlStore: SqlStore,
    private readonly vectorIndex: VectorIndex,
    private readonly keywordIndex: KeywordIndex,
    private readonly writer: IndexWriter,
  ) {}

  async check(tenantId: TenantId): Promise<ReconcileReport> {
    const active = await this.activeChunkIds(tenantId);
    const vectorIds = await allPages((after) => this.vectorIndex.listChunkIds(tenantId, after, PAGE_SIZE));
    const keywordIds = await allPages((after) => this.keywordIndex.listChunkIds(tenantId, after, PAGE_SIZE));
    return {
      tenantId,
      activeChunks: active.size,
      vector: compare(active, vectorIds),
      keyword: compare(active, keywordIds),
      pendingEvents: await this.sqlStore.pendingOutboxCount(),
    };
  }

  /** Fixes what `report` found; chunks that stopped being active since are skipped by the SQL read. */
  async repair(report: ReconcileReport): Promise<void> {
    const { tenantId } = report;
    const missing = [...new Set([...report.vector.missing, ...report.keyword.missing])];
    for (let start = 0; start < missing.length; start += PAGE_SIZE) {
      const chunks = await this.sqlStore.readableActiveChunks({ tenantId, groups: 'all' }, missing.slice(start, start + PAGE_SIZE));
      await this.writer.write(chunks);
    }
    if (report.vector.extra.length > 0) await this.vectorIndex.delete(tenantId, report.vector.extra);
    if (report.keyword.extra.length > 0) await this.keywordIndex.delete(tenantId, report.keyword.extra);
  }

  private async activeChunkIds(tenantId: TenantId): Promise<Set<string>> {
    const ids = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page = await this.sqlStore.activeChunksOfTenant(tenantId, after, PAGE_SIZE);
      for (const chunk of page) ids.add(chunk.id);
      if (page.length < PAGE_SIZE) return ids;
      after = page[page.length - 1]?.id ?? null;
    }
  }
}

async function allPages(page: (after: string | null) => Promise<string[]>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const next = await page(after);
    if (next.length === 0) return ids;
    ids.push(...next);
    after = next[next.length - 1] as string;
  }
}

function compare(active: ReadonlySet<string>, held: readonly string[]): IndexDifferences {
  const heldSet = new Set(held);
  return {
    held: heldSet.size,
    missing: [...active].filter((id) => !heldSet.has(id)).sort(),
    extra: [...heldSet].filter((id) => !active.has(id)).sort(),
  };
}
