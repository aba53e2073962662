import type { SqlStore, TenantId } from '@rag/core';
import type { IndexWriter } from './index.writer';

const PAGE_SIZE = 500;

/**
 * Rebuilds a tenant's vector and keyword indexes from the SQL source of truth alone: every chunk
 * of every active version is embedded and upserted again. Upserts are idempotent, so a rebuild can
 * be stopped and run again; entries the indexes hold beyond SQL are never shown, because every
 * hit is joined with SQL's active versions before a reader sees it.
 */
export class IndexRebuilder {
  constructor(
    private readonly sqlStore: SqlStore,
    private readonly writer: IndexWriter,
  ) {}

  async rebuildTenant(tenantId: TenantId, onProgress: (chunksWritten: number) => void = () => undefined): Promise<number> {
    let written = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.sqlStore.activeChunksOfTenant(tenantId, after, PAGE_SIZE);
      if (page.length === 0) return written;
      await this.writer.write(page);
      written += page.length;
      after = page[page.length - 1]?.id ?? null;
      onProgress(written);
    }
  }
}
