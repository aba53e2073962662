import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { EVERYONE_GROUP, toTenantId, type VectorIndex, type VectorRecord } from '@rag/core';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { HnswVectorIndex } from './embedded/hnsw.vector-index';
import { MilvusVectorIndex, type MilvusVectorIndexSettings } from './milvus/milvus.vector-index';

const DIMENSIONS = 16;

interface Harness {
  /** Opens the store; `dimensions` other than DIMENSIONS stands for a changed embedder. */
  open(dimensions?: number): Promise<VectorIndex>;
  /** Closes and opens the store again, as after a server or process restart. */
  reopen(index: VectorIndex): Promise<VectorIndex>;
  dispose(): Promise<void>;
}

/** One entry per adapter; every case below runs against each. */
const adapters: [string, () => Harness][] = [
  [
    'embedded (hnswlib)',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'vector-contract-'));
      return {
        open: async (dimensions = DIMENSIONS) => HnswVectorIndex.open({ directory, dimensions }),
        reopen: async (index) => {
          await index.close();
          return HnswVectorIndex.open({ directory, dimensions: DIMENSIONS });
        },
        dispose: () => Promise.resolve(rmSync(directory, { recursive: true, force: true })),
      };
    },
  ],
];

const stores = testStoreUrls();
if (stores) {
  adapters.push([
    'milvus',
    () => {
      const settings: MilvusVectorIndexSettings = { address: stores.milvusAddress, token: undefined, collection: uniqueTestName('vectors'), dimensions: DIMENSIONS, searchTimeoutMs: 5_000, writeTimeoutMs: 30_000 };
      return {
        open: (dimensions = DIMENSIONS) => MilvusVectorIndex.open({ ...settings, dimensions }),
        reopen: async (index) => {
          await index.close();
          return MilvusVectorIndex.open(settings);
        },
        dispose: () => dropCollection(settings.address, settings.collection),
      };
    },
  ]);
}

/**
 * Removes a test's collection. The server speaks only gRPC (milvus-lite has no REST API), so this
 * takes the client directly; the adapter itself has no way to drop its collection, on purpose.
 */
async function dropCollection(address: string, collection: string): Promise<void> {
  const client = new MilvusClient({ address, timeout: 10_000, logLevel: 'warn' });
  try {
    const status = await client.dropCollection({ collection_name: collection });
    if (status.error_code !== 'Success') throw new Error(`Could not drop test collection ${collection}: ${status.reason}`);
  } finally {
    await client.closeConnection();
  }
}

const bankA = toTenantId('bank-a');
const bankB = toTenantId('bank-b');
const everyone = { tenantId: bankA, groups: [EVERYONE_GROUP] };

function axis(i: number, noise = 0): Float32Array {
  const vector = new Float32Array(DIMENSIONS).fill(noise);
  vector[i % DIMENSIONS] = 1;
  return vector;
}

function record(chunkId: string, vector: Float32Array, extra: Partial<VectorRecord> = {}): VectorRecord {
  return { chunkId, tenantId: bankA, collection: 'c1', documentId: chunkId.split('@')[0] ?? chunkId, version: 1, aclGroups: [EVERYONE_GROUP], vector, ...extra };
}

describe.each(adapters)('VectorIndex contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let index: VectorIndex;

  async function setUp(): Promise<void> {
    harness = makeHarness();
    index = await harness.open();
  }

  afterEach(async () => {
    await index.close().catch(() => undefined);
    await harness.dispose();
  });

  it('returns the nearest vectors first', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0)), record('b@1#0', axis(1)), record('c@1#0', axis(2))]);
    const hits = await index.search({ scope: everyone, vector: axis(1, 0.01), topK: 2 });
    expect(hits[0]).toMatchObject({ chunkId: 'b@1#0', documentId: 'b', version: 1 });
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it('replaces a record upserted again under the same chunk id', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0))]);
    await index.upsert([record('a@1#0', axis(5), { version: 2 })]);
    const hits = await index.search({ scope: everyone, vector: axis(5), topK: 5 });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ chunkId: 'a@1#0', version: 2 });
    expect(hits[0]?.score).toBeCloseTo(1, 3);
  });

  it('keeps the last of duplicate ids within one batch', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0)), record('a@1#0', axis(3))]);
    const hits = await index.search({ scope: everyone, vector: axis(3), topK: 5 });
    expect(hits.map((h) => h.chunkId)).toEqual(['a@1#0']);
    expect(hits[0]?.score).toBeCloseTo(1, 3);
  });

  it('forgets deleted records, and a delete of unknown ids is harmless', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0)), record('b@1#0', axis(0, 0.1))]);
    await index.delete(bankA, ['a@1#0', 'never-existed']);
    const hits = await index.search({ scope: everyone, vector: axis(0), topK: 5 });
    expect(hits.map((h) => h.chunkId)).toEqual(['b@1#0']);
  });

  it('never returns another tenant’s vectors, and a tenant cannot delete them', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0)), record('x@1#0', axis(0), { tenantId: bankB })]);
    await index.delete(bankB, ['a@1#0']);
    expect((await index.search({ scope: everyone, vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual(['a@1#0']);
    expect((await index.search({ scope: { tenantId: bankB, groups: 'all' }, vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual(['x@1#0']);
  });

  it('filters by ACL group and by collection inside the search', async () => {
    await setUp();
    await index.upsert([
      record('public@1#0', axis(0, 0.2)),
      record('board@1#0', axis(0), { aclGroups: ['board'] }),
      record('other@1#0', axis(0, 0.1), { collection: 'c2' }),
    ]);
    const teller = { tenantId: bankA, groups: [EVERYONE_GROUP, 'tellers'] };
    expect((await index.search({ scope: teller, vector: axis(0), topK: 5 })).map((h) => h.chunkId).sort()).toEqual(['other@1#0', 'public@1#0']);
    expect((await index.search({ scope: { tenantId: bankA, groups: ['board'] }, vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual(['board@1#0']);
    expect((await index.search({ scope: teller, collection: 'c2', vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual(['other@1#0']);
  });

  it('finds the few readable vectors among many unreadable ones', async () => {
    await setUp();
    const hidden = Array.from({ length: 3000 }, (_, i) => record(`h${i}@1#0`, axis(i, 0.05), { aclGroups: ['board'] }));
    await index.upsert([...hidden, record('visible@1#0', axis(7, 0.3))]);
    const hits = await index.search({ scope: everyone, vector: axis(0), topK: 3 });
    expect(hits.map((h) => h.chunkId)).toEqual(['visible@1#0']);
  });

  it('returns nothing from an empty index or for a tenant with no data', async () => {
    await setUp();
    expect(await index.search({ scope: everyone, vector: axis(0), topK: 5 })).toEqual([]);
    await index.upsert([record('a@1#0', axis(0))]);
    expect(await index.search({ scope: { tenantId: bankB, groups: [EVERYONE_GROUP] }, vector: axis(0), topK: 5 })).toEqual([]);
  });

  it('rejects a vector of the wrong size with a clear error', async () => {
    await setUp();
    await expect(index.upsert([record('a@1#0', new Float32Array(3))])).rejects.toThrow(/dimensions/);
  });

  it('takes 10,000 records in batches and finds each exactly', async () => {
    await setUp();
    const records = Array.from({ length: 10_000 }, (_, i) => {
      const vector = new Float32Array(DIMENSIONS);
      for (let d = 0; d < DIMENSIONS; d++) vector[d] = Math.sin((i + 1) * (d + 1) * 0.37);
      return record(`bulk${i}@1#0`, vector);
    });
    for (let start = 0; start < records.length; start += 1000) await index.upsert(records.slice(start, start + 1000));
    for (const probe of [0, 4321, 9999]) {
      const [best] = await index.search({ scope: everyone, vector: (records[probe] as VectorRecord).vector, topK: 1 });
      expect(best?.chunkId).toBe(`bulk${probe}@1#0`);
    }
  });

  it('keeps its data across a restart', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0)), record('b@1#0', axis(1))]);
    await index.delete(bankA, ['b@1#0']);
    index = await harness.reopen(index);
    const hits = await index.search({ scope: everyone, vector: axis(0), topK: 5 });
    expect(hits.map((h) => h.chunkId)).toEqual(['a@1#0']);
    await index.upsert([record('c@1#0', axis(2))]);
    expect((await index.search({ scope: everyone, vector: axis(2), topK: 1 }))[0]?.chunkId).toBe('c@1#0');
  });

  it('filters on collection and group names of any characters, and deletes chunk ids of any characters', async () => {
    await setUp();
    const collection = 'policies "2024" \\ 中文';
    const group = '风险 "委员会" \\';
    const chunkId = 'q"uo\\te\nx@1#0';
    await index.upsert([record(chunkId, axis(0), { collection, aclGroups: [group] }), record('plain@1#0', axis(0, 0.1), { collection })]);
    const member = { tenantId: bankA, groups: [EVERYONE_GROUP, group] };
    expect((await index.search({ scope: member, collection, vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual([chunkId, 'plain@1#0']);
    const lookalike = { tenantId: bankA, groups: ['风险 "委员会" '] };
    expect(await index.search({ scope: lookalike, collection, vector: axis(0), topK: 5 })).toEqual([]);
    await index.delete(bankA, [chunkId]);
    expect((await index.search({ scope: member, collection, vector: axis(0), topK: 5 })).map((h) => h.chunkId)).toEqual(['plain@1#0']);
  });

  it('refuses to open over vectors of another size, naming both sizes', async () => {
    await setUp();
    await index.upsert([record('a@1#0', axis(0))]);
    await index.close();
    await expect(harness.open(8)).rejects.toThrow(/16-dimensional.*produces 8/);
    index = await harness.open();
    expect((await index.search({ scope: everyone, vector: axis(0), topK: 1 }))[0]?.chunkId).toBe('a@1#0');
  });

  it('lists a tenant’s chunk ids in pages, in order, without another tenant’s or deleted ones', async () => {
    await setUp();
    const ids = Array.from({ length: 25 }, (_, i) => `doc${String(i).padStart(2, '0')}@1#0.${i}`);
    // Written newest first over several calls, so that no store can list them in the order written.
    for (let end = ids.length; end > 0; end -= 5) await index.upsert(ids.slice(Math.max(0, end - 5), end).reverse().map((id, i) => record(id, axis(i))));
    await index.upsert([record('zz-other@1#0', axis(0), { tenantId: bankB })]);
    await index.delete(bankA, ['doc03@1#0.3']);
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page = await index.listChunkIds(bankA, after, 10);
      pages.push(page);
      if (page.length === 0) break;
      after = page[page.length - 1] ?? null;
    }
    expect(pages.map((page) => page.length)).toEqual([10, 10, 4, 0]);
    expect(pages.flat()).toEqual(ids.filter((id) => id !== 'doc03@1#0.3'));
    expect(await index.listChunkIds(bankB, null, 10)).toEqual(['zz-other@1#0']);
    expect(await index.listChunkIds(toTenantId('bank-c'), null, 10)).toEqual([]);
  });

  it('reports itself healthy', async () => {
    await setUp();
    expect((await index.health()).ok).toBe(true);
  });
});
