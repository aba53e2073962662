import { StoreError } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { ElasticsearchKeywordIndex } from './elasticsearch.keyword-index';

describe('ElasticsearchKeywordIndex.open', () => {
  it('fails in one line that names the setting and the URL, without its password', async () => {
    const opening = ElasticsearchKeywordIndex.open({ url: 'http://rag:secret@127.0.0.1:1', index: 'rag-chunks', searchTimeoutMs: 1_000, writeTimeoutMs: 1_000 });
    const error: unknown = await opening.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', store: 'elasticsearch' });
    const message = (error as StoreError).message;
    expect(message).toMatch(/^Cannot reach Elasticsearch at http:\/\/\*\*\*@127\.0\.0\.1:1 \(ELASTICSEARCH_URL\): /);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('\n');
  });
});
