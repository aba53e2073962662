import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAnswerCache } from '@rag/answer-cache';
import { EVERYONE_GROUP, toTenantId, type Embedder, type NewVersion, type SqlStore } from '@rag/core';
import { LexicalHashEmbedder } from '@rag/embedder';
import { SqliteFtsKeywordIndex } from '@rag/keyword-index';
import { connectSqlite, KyselySqlStore } from '@rag/sql-store';
import { HnswVectorIndex } from '@rag/vector-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { differenceCount, IndexReconciler } from './index.reconciler';
import { IndexWorker } from './index.worker';
import { IndexWriter } from './index.writer';

const tenantId = toTenantId('bank-a');
const SECTIONS = ['年费 Fees', '积分 Points', '挂失 Lost cards'];

/** The lexical embedder, counting the texts it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly inner = new LexicalHashEmbedder({ dimensions: 64 });
  readonly modelId = this.inner.modelId;
  readonly dimensions = this.inner.dimensions;
  texts = 0;

  embed(texts: readonly string[], purpose: 'query' | 'passage'): Promise<Float32Array[]> {
    this.texts += texts.length;
    return this.inner.embed(texts, purpose);
  }
}

function version(texts: readonly string[]): NewVersion {
  const chunks = texts.map((text, i) => ({ nodeId: `0.${i}.0`, sectionPath: ['Card rules 信用卡章程', SECTIONS[i] as string], text, contentHash: `h-${text}` }));
  return {
    tenantId,
    submission: { collection: 'c1', externalId: 'card-rules', title: 'Card rules 信用卡章程', content: texts.join('\n'), contentType: 'text/plain', aclGroups: [EVERYONE_GROUP], metadata: {} },
    contentHash: `doc-${texts.join('|')}`,
    outcome: { chunks },
  };
}

const V1 = ['金卡年费 300 元。Gold card fee 300.', '每消费一元积一分。One point per yuan.', '挂失后旧卡停用。Lost cards stop.'];
const V2 = ['金卡年费 200 元。Gold card fee 200.', V1[1] as string, V1[2] as string];
const V3 = ['金卡年费 100 元。Gold card fee 100.', V1[1] as string, V1[2] as string];

describe('IndexWorker on the embedded stores', () => {
  let directory: string;
  let sqlStore: SqlStore;
  let vectorIndex: HnswVectorIndex;
  let keywordIndex: SqliteFtsKeywordIndex;
  let embedder: CountingEmbedder;
  let worker: IndexWorker;
  let writer: IndexWriter;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'index-worker-'));
    sqlStore = await KyselySqlStore.open(connectSqlite(join(directory, 'rag.sqlite')), 'sqlite');
    vectorIndex = HnswVectorIndex.open({ directory: join(directory, 'vectors'), dimensions: 64 });
    keywordIndex = SqliteFtsKeywordIndex.open({ directory: join(directory, 'keywords') });
    embedder = new CountingEmbedder();
    const ports = { sqlStore, vectorIndex, keywordIndex, embedder, cache: new MemoryAnswerCache({ maxEntries: 100 }) };
    // One event per claim, so a test decides which events the worker can take.
    worker = new IndexWorker(ports, { pollMs: 10, batchSize: 1, maxAttempts: 3, leaseMs: 60_000, embedBatchSize: 16 }, { info: () => undefined, error: () => undefined });
    writer = new IndexWriter({ ...ports, embeddingCache: sqlStore }, 16);
  });

  afterEach(async () => {
    await Promise.all([sqlStore.close(), vectorIndex.close(), keywordIndex.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  /** Counts the records upserted into each index from now on. */
  const countUpserts = () => {
    const counts = { vector: 0, keyword: 0 };
    const vectorUpsert = vectorIndex.upsert.bind(vectorIndex);
    const keywordUpsert = keywordIndex.upsert.bind(keywordIndex);
    vectorIndex.upsert = (records) => ((counts.vector += records.length), vectorUpsert(records));
    keywordIndex.upsert = (records) => ((counts.keyword += records.length), keywordUpsert(records));
    return () => counts;
  };
  const reconcile = () => new IndexReconciler(sqlStore, vectorIndex, keywordIndex, writer).check(tenantId);
  const indexedIds = async () => (await vectorIndex.listChunkIds(tenantId, null, 100)).sort();

  const idsOfVersion = async (documentId: string, v: number) => (await sqlStore.chunksOfVersion(tenantId, documentId, v)).map((chunk) => chunk.id).sort();

  it('writes only the chunks whose content changed in a new version, and removes only the replaced ones', async () => {
    const { document } = await sqlStore.submitVersion(version(V1));
    await worker.drain();
    expect(embedder.texts).toBe(3);
    expect(await sqlStore.latestOutboxEvent(tenantId, document.id)).toMatchObject({ chunksWritten: 3, chunksUnchanged: 0 });
    const upserts = countUpserts();
    await sqlStore.submitVersion(version(V2));
    await worker.drain();
    expect(embedder.texts).toBe(4);
    expect(upserts()).toEqual({ vector: 1, keyword: 1 });
    expect(await sqlStore.latestOutboxEvent(tenantId, document.id)).toMatchObject({ status: 'done', chunksEmbedded: 1, chunksReused: 0, chunksWritten: 1, chunksUnchanged: 2 });
    const [v1, v2] = [await idsOfVersion(document.id, 1), await idsOfVersion(document.id, 2)];
    expect(v2.filter((id) => v1.includes(id))).toHaveLength(2);
    expect(await indexedIds()).toEqual(v2);
    expect(differenceCount(await reconcile())).toBe(0);
  });

  it('leaves no chunk of a version whose worker died after writing it, once a newer version replaced it', async () => {
    const { document } = await sqlStore.submitVersion(version(V1));
    await worker.drain();
    await sqlStore.submitVersion(version(V2));
    // A worker claims version 2, writes its chunks to both indexes, and is killed; its lease runs out.
    const [crashed] = await sqlStore.claimOutboxEvents('killed-worker', 1, -1);
    await writer.write(await sqlStore.chunksOfVersion(tenantId, document.id, crashed!.version));
    await sqlStore.submitVersion(version(V3));
    await worker.drain();
    expect((await sqlStore.findDocument(tenantId, document.id))?.activeVersion).toBe(3);
    expect(await indexedIds()).toEqual(await idsOfVersion(document.id, 3));
    expect(differenceCount(await reconcile())).toBe(0);
  });

  it('retiring a version that lost to a newer one removes none of the chunks the active version still uses', async () => {
    const { document } = await sqlStore.submitVersion(version(V1));
    await worker.drain();
    // Version 2 changes the first chunk; a killed worker wrote it. Version 3 replaces it before a retry.
    await sqlStore.submitVersion(version(V2));
    const [crashed] = await sqlStore.claimOutboxEvents('killed-worker', 1, -1);
    await writer.write(await sqlStore.chunksOfVersion(tenantId, document.id, crashed!.version));
    await sqlStore.submitVersion(version(V3));
    await worker.drain();
    // The two chunks versions 1, 2 and 3 share were never written again, yet are still there.
    expect(await sqlStore.latestOutboxEvent(tenantId, document.id)).toMatchObject({ version: 3, chunksWritten: 1, chunksUnchanged: 2 });
    expect(await indexedIds()).toEqual(await idsOfVersion(document.id, 3));
    expect(differenceCount(await reconcile())).toBe(0);
  });

  it('keeps the chunks readers see when a worker died between activation and completion, while a newer version waits', async () => {
    const { document } = await sqlStore.submitVersion(version(V1));
    await worker.drain();
    await sqlStore.submitVersion(version(V2));
    // Version 2 is written and activated, then its worker is killed before it removed version 1's replaced chunk.
    const [crashed] = await sqlStore.claimOutboxEvents('killed-worker', 1, -1);
    await writer.write(await sqlStore.chunksOfVersion(tenantId, document.id, 2));
    await sqlStore.activateVersion(crashed!);
    await sqlStore.submitVersion(version(V3));
    // Version 3 waits for the retry of version 2: a document's events run in order.
    const [retry, ...waiting] = await sqlStore.claimOutboxEvents('another-worker', 2, -1);
    expect([retry?.version, waiting]).toEqual([2, []]);
    await worker.drain();
    expect((await sqlStore.findDocument(tenantId, document.id))?.activeVersion).toBe(3);
    expect(await indexedIds()).toEqual(await idsOfVersion(document.id, 3));
    expect(differenceCount(await reconcile())).toBe(0);
  });

  it('gives two documents with the same text chunks of their own, so deleting one leaves the other whole', async () => {
    const { document: first } = await sqlStore.submitVersion(version(V1));
    const { document: second } = await sqlStore.submitVersion({ ...version(V1), submission: { ...version(V1).submission, externalId: 'card-rules-copy' } });
    await worker.drain();
    await sqlStore.deleteDocument(tenantId, first.id);
    await worker.drain();
    expect(await indexedIds()).toEqual(await idsOfVersion(second.id, 1));
    expect(differenceCount(await reconcile())).toBe(0);
  });

  it('removes every chunk of every version from both indexes when the document is deleted', async () => {
    const { document } = await sqlStore.submitVersion(version(V1));
    await worker.drain();
    await sqlStore.submitVersion(version(V2));
    await worker.drain();
    await sqlStore.deleteDocument(tenantId, document.id);
    await worker.drain();
    expect(await indexedIds()).toEqual([]);
    expect(await keywordIndex.listChunkIds(tenantId, null, 100)).toEqual([]);
    expect((await sqlStore.findDocument(tenantId, document.id))?.status).toBe('deleted');
  });
});
