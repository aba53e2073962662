import { EVERYONE_GROUP, toTenantId, type KeywordRecord } from '@rag/core';
import { uniqueTestName } from '@rag/testing';
import { analyze } from '@rag/text-analysis';
import { it } from 'vitest';
import { ElasticsearchKeywordIndex } from './elasticsearch/elasticsearch.keyword-index';

const tenant = toTenantId('bank-a');
const rec = (i: number, text: string): KeywordRecord => ({ chunkId: `bulk${i}@1#0`, tenantId: tenant, collection: 'c1', documentId: `bulk${i}`, version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text });
const url = process.env.STORES_ELASTICSEARCH_URL!;

it('timings', async () => {
  const index = uniqueTestName('timing').toLowerCase();
  const es = await ElasticsearchKeywordIndex.open({ url, index, searchTimeoutMs: 5000, writeTimeoutMs: 60000 });
  const records = Array.from({ length: 10_000 }, (_, i) => rec(i, `Paragraph ${i} about account rules and uniqueword${i}.`));
  let t = performance.now();
  for (const r of records) analyze([r.title, ...r.sectionPath, r.text].join('\n'));
  console.log('analyze 10k ms', Math.round(performance.now() - t));
  for (let round = 0; round < 3; round++) {
    t = performance.now();
    await es.upsert(records);
    console.log('upsert 10k ms', Math.round(performance.now() - t));
  }
  // raw refresh=true vs wait_for vs false, single doc, via HTTP
  const raw = async (refresh: string, i: number) => {
    const body = `${JSON.stringify({ index: { _id: `raw${i}` } })}\n${JSON.stringify({ chunk_id: `raw${i}`, tenant_id: 'bank-a', collection: 'c1', document_id: 'raw', version: 1, acl_groups: ['*'], terms: 'raw words', title: '', section_path: [], text: '' })}\n`;
    const s = performance.now();
    const r = await fetch(`${url}/${index}/_bulk?refresh=${refresh}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    await r.text();
    return performance.now() - s;
  };
  for (const refresh of ['false', 'true', 'wait_for']) {
    const xs: number[] = [];
    for (let i = 0; i < 8; i++) xs.push(await raw(refresh, i));
    console.log(`bulk 1 doc refresh=${refresh} ms`, xs.map((x) => Math.round(x)).join(' '));
  }
  // search-idle: no searches for 35 s, then a wait_for write
  await new Promise((r) => setTimeout(r, 35_000));
  t = performance.now();
  await es.upsert([rec(99_999, 'after idle')]);
  console.log('upsert after 35 s without searches ms', Math.round(performance.now() - t));
  t = performance.now();
  const hits = await es.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text: 'idle', topK: 5 });
  console.log('search after idle ms', Math.round(performance.now() - t), hits.length);
  await es.close();
  await fetch(`${url}/${index}`, { method: 'DELETE' });
}, 300_000);
