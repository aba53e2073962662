import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { EVERYONE_GROUP, toTenantId } from '@rag/core';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { describe, expect, it } from 'vitest';
import { MilvusVectorIndex } from './milvus.vector-index';

const stores = testStoreUrls();
const tenantId = toTenantId('bank-a');
const scope = { tenantId, groups: [EVERYONE_GROUP] };

/** What only Milvus can do to the index under a running service; the port's contract is in vector-index.contract-spec.ts. */
describe.runIf(stores)('MilvusVectorIndex on a real server', () => {
  it('loads a released collection again when a search finds it so, as milvus-lite has it after a restart', async () => {
    const address = stores?.milvusAddress ?? '';
    const collection = uniqueTestName('vectors');
    // The server speaks only gRPC, so the test takes the client directly for what the adapter must not offer.
    const admin = new MilvusClient({ address, timeout: 10_000, logLevel: 'warn' });
    const index = await MilvusVectorIndex.open({ address, token: undefined, collection, dimensions: 2, searchTimeoutMs: 5_000, writeTimeoutMs: 30_000 });
    try {
      await index.upsert([{ chunkId: 'a@1#0', tenantId, collection: 'c1', documentId: 'a', version: 1, aclGroups: [EVERYONE_GROUP], vector: new Float32Array([1, 0]) }]);
      await admin.releaseCollection({ collection_name: collection });
      expect((await index.health()).ok).toBe(false);
      const hits = await index.search({ scope, vector: new Float32Array([1, 0]), topK: 1 });
      expect(hits.map((hit) => hit.chunkId)).toEqual(['a@1#0']);
      expect((await index.health()).ok).toBe(true);
    } finally {
      await index.close();
      await admin.dropCollection({ collection_name: collection });
      await admin.closeConnection();
    }
  });
});
