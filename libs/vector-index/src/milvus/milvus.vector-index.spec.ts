import { StoreError } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { MilvusVectorIndex } from './milvus.vector-index';

describe('MilvusVectorIndex.open', () => {
  it('fails in one line that names the setting and the address', async () => {
    const opening = MilvusVectorIndex.open({ address: '127.0.0.1:1', token: undefined, collection: 'rag_chunks', dimensions: 16, searchTimeoutMs: 1_000, writeTimeoutMs: 1_000 });
    const error: unknown = await opening.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', store: 'milvus' });
    const message = (error as StoreError).message;
    expect(message).toMatch(/^Cannot reach Milvus at 127\.0\.0\.1:1 \(MILVUS_ADDRESS\): /);
    expect(message).not.toContain('\n');
  });
});
