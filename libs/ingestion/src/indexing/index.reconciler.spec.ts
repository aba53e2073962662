import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAnswerCache } from '@rag/answer-cache';
import { EVERYONE_GROUP, toTenantId, type SqlStore } from '@rag/core';
import { LexicalHashEmbedder } from '@rag/embedder';
import { SqliteFtsKeywordIndex } from '@rag/keyword-index';
import { connectSqlite, KyselySqlStore } from '@rag/sql-store';
import { HnswVectorIndex } from '@rag/vector-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { differenceCount, IndexReconciler } from './index.reconciler';
import { IndexWorker } from './index.worker';
import { IndexWriter } from './index.writer';

const tenantId = toTenantId('bank-a');
const otherTenant = toTenantId('bank-b');

describe('IndexReconciler on the embedded stores', () => {
  let directory: string;
  let sqlStore: SqlStore;
  let vectorIndex: HnswVectorIndex;
  let keywordIndex: SqliteFtsKeywordIndex;
  let reconciler: IndexReconciler;
  let chunkIds: string[];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'reconciler-'));
    sqlStore = await KyselySqlStore.open(connectSqlite(join(directory, 'rag.sqlite')), 'sqlite');
    vectorIndex = HnswVectorIndex.open({ directory: join(directory, 'vectors'), dimensions: 32 });
    keywordIndex = SqliteFtsKeywordIndex.open({ directory: join(directory, 'keywords') });
    const ports = { sqlStore, vectorIndex, keywordIndex, embedder: new LexicalHashEmbedder({ dimensions: 32 }), cache: new MemoryAnswerCache({ maxEntries: 10 }) };
    const writer = new IndexWriter({ ...ports, embeddingCache: sqlStore }, 16);
    reconciler = new IndexReconciler(sqlStore, vectorIndex, keywordIndex, writer);
    for (const [externalId, text] of [['faq', '金卡年费 300 元。'], ['terms', 'Lost cards stop at once.']] as const) {
      const chunks = [0, 1].map((i) => ({ nodeId: `0.${i}`, sectionPath: ['手册 Handbook'], text: `${text} ${i}`, contentHash: `${externalId}-${i}` }));
      const submission = { collection: 'c1', externalId, title: '手册 Handbook', content: text, contentType: 'text/plain' as const, aclGroups: [EVERYONE_GROUP], metadata: {} };
      await sqlStore.submitVersion({ tenantId, submission, contentHash: externalId, outcome: { chunks } });
    }
    await new IndexWorker(ports, { pollMs: 10, batchSize: 8, maxAttempts: 3, leaseMs: 60_000, embedBatchSize: 16 }, { info: () => undefined, error: () => undefined }).drain();
    chunkIds = await vectorIndex.listChunkIds(tenantId, null, 100);
  });

  afterEach(async () => {
    await Promise.all([sqlStore.close(), vectorIndex.close(), keywordIndex.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds nothing to report when the indexes hold exactly the active chunks', async () => {
    const report = await reconciler.check(tenantId);
    expect(report).toMatchObject({ activeChunks: 4, pendingEvents: 0, vector: { held: 4, missing: [], extra: [] }, keyword: { held: 4, missing: [], extra: [] } });
  });

  it('reports chunks missing from one index and stray ones in the other, per index, and repairs both', async () => {
    const [lost, alsoLost] = chunkIds;
    await vectorIndex.delete(tenantId, [lost as string]);
    await keywordIndex.delete(tenantId, [alsoLost as string]);
    await keywordIndex.upsert([{ chunkId: 'doc_gone@1#0.0', tenantId, collection: 'c1', documentId: 'doc_gone', version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text: '已删除 deleted' }]);
    await keywordIndex.upsert([{ chunkId: 'doc_other@1#0.0', tenantId: otherTenant, collection: 'c1', documentId: 'doc_other', version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text: 'another bank' }]);

    const report = await reconciler.check(tenantId);
    expect(report.vector).toEqual({ held: 3, missing: [lost], extra: [] });
    expect(report.keyword).toEqual({ held: 4, missing: [alsoLost], extra: ['doc_gone@1#0.0'] });
    expect(differenceCount(report)).toBe(3);

    await reconciler.repair(report);
    expect(differenceCount(await reconciler.check(tenantId))).toBe(0);
    expect(await keywordIndex.listChunkIds(otherTenant, null, 10)).toEqual(['doc_other@1#0.0']);
  });
});
