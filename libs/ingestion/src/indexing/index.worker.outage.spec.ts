import { type AnswerCache, type Chunk, type Embedder, type KeywordIndex, type OutboxEvent, type SqlStore, StoreError, toTenantId, type VectorIndex } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { IndexWorker } from './index.worker';

const tenantId = toTenantId('bank');
const event = (id: number, attempts: number): OutboxEvent => ({ id, tenantId, kind: 'index_version', documentId: `doc_${id}`, version: 1, attempts });
const chunk = { id: 'doc_1@1#0.0', tenantId, collection: 'faq', documentId: 'doc_1', version: 1, nodeId: '0.0', ordinal: 0, title: '年费', sectionPath: ['年费'], text: '金卡年费 300 元。', contentHash: 'h', aclGroups: ['*'] } as Chunk;
const settings = { pollMs: 10, batchSize: 8, maxAttempts: 3, leaseMs: 60_000, embedBatchSize: 8 };
const log = { info: () => undefined, error: () => undefined };

/** An SQL store that hands out `batches` of events and records what the worker does with them. */
function fakeSql(batches: OutboxEvent[][]) {
  const failed: { id: number; retryAt: number | null }[] = [];
  const released: number[] = [];
  const sqlStore = {
    claimOutboxEvents: async () => batches.shift() ?? [],
    hasNewerVersion: async () => false,
    findDocument: async () => null,
    chunksOfVersion: async () => [chunk],
    activateVersion: async () => ({ activated: true, previousVersion: null }),
    completeIndexing: async () => undefined,
    failOutboxEvent: async (e: OutboxEvent, _reason: string, retryAt: number | null) => void failed.push({ id: e.id, retryAt }),
    releaseOutboxEvents: async (_worker: string, ids: readonly number[]) => void released.push(...ids),
    markOutboxStep: async () => undefined,
    cachedEmbeddings: async () => new Map(),
    saveEmbeddings: async () => undefined,
  } as unknown as SqlStore;
  return { sqlStore, failed, released, unclaimed: batches };
}

function ports(sqlStore: SqlStore, keywordIndex: Partial<KeywordIndex>) {
  const embedder: Embedder = { modelId: 'fake', dimensions: 2, embed: async (texts) => texts.map(() => new Float32Array([1, 0])) };
  const vectorIndex = { upsert: async () => undefined, delete: async () => undefined } as unknown as VectorIndex;
  const cache = { invalidateTenant: async () => undefined } as unknown as AnswerCache;
  return { sqlStore, embedder, vectorIndex, keywordIndex: keywordIndex as KeywordIndex, cache };
}

describe('index worker and store outages', () => {
  it('never dead-letters an event because a store is down, however many attempts it took', async () => {
    const { sqlStore, failed } = fakeSql([[event(1, 9)]]);
    const down = { upsert: () => Promise.reject(new StoreError('keyword', 'STORE_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:9200')) };
    await new IndexWorker(ports(sqlStore, down), settings, log).drain();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.retryAt).not.toBeNull();
  });

  it('dead-letters other failures after the allowed attempts', async () => {
    const { sqlStore, failed } = fakeSql([[event(1, 3)]]);
    const broken = { upsert: () => Promise.reject(new Error('mapping rejected the document')) };
    await new IndexWorker(ports(sqlStore, broken), settings, log).drain();
    expect(failed).toEqual([{ id: 1, retryAt: null }]);
  });

  it('finishes the events in hand at stop, side by side, and claims no more', async () => {
    const { sqlStore, released, unclaimed } = fakeSql([[event(1, 1), event(2, 1), event(3, 1)], [event(4, 1)]]);
    let written = 0;
    const slow = {
      upsert: async (chunks: readonly unknown[]) => {
        written += chunks.length;
        // stop() arrives while the first batch is being written.
        void worker.stop();
      },
      delete: async () => undefined,
    };
    const worker = new IndexWorker(ports(sqlStore, slow), settings, log);
    await worker.drain();
    expect(written).toBe(3);
    expect(released).toEqual([]);
    expect(unclaimed).toEqual([[event(4, 1)]]);
  });

  it('writes the chunks of the events claimed together in one upsert to each index', async () => {
    const { sqlStore, failed } = fakeSql([[event(1, 1), event(2, 1), event(3, 1)]]);
    const upserts: number[] = [];
    const keywordIndex = { upsert: async (chunks: readonly unknown[]) => void upserts.push(chunks.length), delete: async () => undefined };
    await new IndexWorker(ports(sqlStore, keywordIndex), settings, log).drain();
    expect(upserts).toEqual([3]);
    expect(failed).toEqual([]);
  });

  it('fails only the event whose chunk the index refuses; the others of its claim are indexed', async () => {
    const { sqlStore, failed } = fakeSql([[event(1, 3), event(2, 3), event(3, 3)]]);
    const ofDocument = (documentId: string) => ({ ...chunk, id: `${documentId}~c`, documentId, text: documentId === 'doc_2' ? '损坏的内容 corrupt' : chunk.text });
    (sqlStore as unknown as { chunksOfVersion: unknown }).chunksOfVersion = async (_tenant: string, documentId: string) => [ofDocument(documentId)];
    const indexed: string[] = [];
    const picky = {
      upsert: async (chunks: readonly { documentId: string; text: string }[]) => {
        if (chunks.some((c) => c.text.includes('corrupt'))) throw new Error('mapping rejected the document');
        indexed.push(...chunks.map((c) => c.documentId));
      },
      delete: async () => undefined,
    };
    await new IndexWorker(ports(sqlStore, picky), settings, log).drain();
    expect(failed).toEqual([{ id: 2, retryAt: null }]);
    expect(indexed.sort()).toEqual(['doc_1', 'doc_3']);
  });
});
