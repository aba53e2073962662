import { EVERYONE_GROUP, toTenantId, type KeywordRecord } from '@rag/core';
import { uniqueTestName } from '@rag/testing';
import { it } from 'vitest';
import { ElasticsearchKeywordIndex } from './elasticsearch/elasticsearch.keyword-index';

const tenant = toTenantId('bank-a');
const rec = (i: number, text: string): KeywordRecord => ({ chunkId: `d${i}@1#0`, tenantId: tenant, collection: 'c1', documentId: `d${i}`, version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text });

it('survives a restart', async () => {
  const index = uniqueTestName('restart').toLowerCase();
  const es = await ElasticsearchKeywordIndex.open({ url: process.env.STORES_ELASTICSEARCH_URL!, index, searchTimeoutMs: 1500, writeTimeoutMs: 30000 });
  await es.upsert([rec(0, 'durable words')]);
  const start = performance.now();
  let last = '';
  for (let i = 1; performance.now() - start < Number(process.env.RESTART_WINDOW_MS ?? 90000); i++) {
    let state: string;
    try {
      const hits = await es.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text: 'durable', topK: 5 });
      if (i % 5 === 0) await es.upsert([rec(i, 'durable words')]);
      state = `ok hits>=${hits.length > 0 ? 1 : 0}`;
      const health = await es.health();
      state += ` health=${health.ok}`;
    } catch (error) {
      const e = error as { code?: string; message: string };
      state = `${e.code} ${e.message}`;
    }
    if (state !== last) console.log(`${((performance.now() - start) / 1000).toFixed(1)}s ${state}`);
    last = state;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log('final hits', (await es.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text: 'durable', topK: 100 })).length);
  console.log('health', await es.health());
  await es.close();
  await fetch(`${process.env.STORES_ELASTICSEARCH_URL}/${index}`, { method: 'DELETE' });
}, 300_000);
