import { createAnswerCache } from '@rag/answer-cache';
import { loadConfig } from '@rag/config';
import { type KeywordIndex, type Principal, type SqlStore, toTenantId, type VectorIndex } from '@rag/core';
import { createEmbedder } from '@rag/embedder';
import { IndexWriter, IngestService, ingestSettingsFrom } from '@rag/ingestion';
import { createKeywordIndex } from '@rag/keyword-index';
import { createSqlStore } from '@rag/sql-store';
import { createVectorIndex } from '@rag/vector-index';
import type { Passage } from './passage.source.js';

const SECTIONS_PER_DOCUMENT = 10;
const DOCUMENTS_PER_ROUND = 200;
const EMBED_BATCH = 2_000;
const LEASE_MS = 10 * 60_000;

/**
 * Grows an embedded data folder fast, through the product's own code but without HTTP or the
 * polling worker: documents go through IngestService (parse, chunk, one SQL transaction each with
 * its outbox event), then each round's events are claimed together and their chunks written by
 * the product's IndexWriter in batches of 2,000, then activated and completed as the worker does.
 * The all-in-one must not run on the folder meanwhile.
 */
export class BulkLoader {
  private documents = 0;

  private constructor(
    private readonly sqlStore: SqlStore,
    private readonly vectorIndex: VectorIndex,
    private readonly keywordIndex: KeywordIndex,
    private readonly ingest: IngestService,
    private readonly writer: IndexWriter,
    private readonly principal: Principal,
  ) {}

  static async open(dataDir: string): Promise<BulkLoader> {
    const config = loadConfig({ PROFILE: 'embedded', DATA_DIR: dataDir });
    const sqlStore = await createSqlStore(config);
    const vectorIndex = await createVectorIndex(config);
    const keywordIndex = await createKeywordIndex(config);
    const cache = await createAnswerCache(config.cache);
    const ingest = new IngestService(sqlStore, cache, ingestSettingsFrom(config.ingest), () => undefined);
    const writer = new IndexWriter({ embedder: createEmbedder(config), embeddingCache: sqlStore, vectorIndex, keywordIndex }, EMBED_BATCH);
    const principal: Principal = { tenantId: toTenantId(config.defaultTenant), subject: 'bench-bulk-loader', groups: [], scopes: ['ingest'] };
    return new BulkLoader(sqlStore, vectorIndex, keywordIndex, ingest, writer, principal);
  }

  /** Adds documents of ten sections each until `count` more chunks are indexed; returns how many were added. */
  async add(count: number, passages: Iterator<Passage>, firstId: number, onProgress: (chunks: number) => void): Promise<{ chunks: number; documents: number }> {
    let chunks = 0;
    while (chunks < count) {
      for (let i = 0; i < DOCUMENTS_PER_ROUND && chunks < count; i++) {
        const sections = Array.from({ length: SECTIONS_PER_DOCUMENT }, () => passages.next().value as Passage);
        const submitted = await this.ingest.submit(this.principal, documentOf(`bulk-${firstId + this.documents}`, sections));
        this.documents++;
        chunks += submitted.version.chunkCount;
      }
      await this.indexQueued();
      onProgress(chunks);
    }
    return { chunks, documents: this.documents };
  }

  async close(): Promise<void> {
    await Promise.all([this.sqlStore.close(), this.vectorIndex.close(), this.keywordIndex.close()]);
  }

  /** What the index worker does per event, with the chunks of all claimed events written together. */
  private async indexQueued(): Promise<void> {
    for (;;) {
      const events = await this.sqlStore.claimOutboxEvents('bench-bulk-loader', DOCUMENTS_PER_ROUND * 2, LEASE_MS);
      if (events.length === 0) return;
      const chunkLists = await Promise.all(events.map((event) => this.sqlStore.chunksOfVersion(event.tenantId, event.documentId, event.version)));
      await this.writer.write(chunkLists.flat());
      for (const event of events) {
        await this.sqlStore.activateVersion(event);
        await this.sqlStore.completeIndexing(event);
      }
    }
  }
}

function documentOf(externalId: string, sections: readonly Passage[]): Parameters<IngestService['submit']>[1] {
  const content = sections.map((section) => `## ${section.title}\n\n${section.text}`).join('\n\n');
  return { collection: 'bench-scale', externalId, title: sections[0]?.title ?? externalId, content, contentType: 'text/markdown', aclGroups: [], metadata: {} };
}
