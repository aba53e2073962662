import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVERYONE_GROUP, toTenantId, type KeywordRecord } from '@rag/core';
import { uniqueTestName } from '@rag/testing';
import { it } from 'vitest';
import { ElasticsearchKeywordIndex } from './elasticsearch/elasticsearch.keyword-index';
import { SqliteFtsKeywordIndex } from './embedded/sqlite-fts.keyword-index';

const tenant = toTenantId('bank-a');
let seed = 42;
const rand = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const vocab = Array.from({ length: 400 }, (_, i) => `w${i}`);
const zipf = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.pow(rand(), 2.5) * vocab.length))]!;
const rec = (i: number, text: string): KeywordRecord => ({ chunkId: `d${i}@1#0`, tenantId: tenant, collection: 'c1', documentId: `d${i}`, version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text });

it('compares rankings', async () => {
  const docs = Array.from({ length: 2000 }, (_, i) => rec(i, Array.from({ length: 5 + Math.floor(rand() * 200) }, zipf).join(' ')));
  const fts = SqliteFtsKeywordIndex.open({ directory: mkdtempSync(join(tmpdir(), 'cmp-')) });
  const index = uniqueTestName('cmp').toLowerCase();
  const es = await ElasticsearchKeywordIndex.open({ url: process.env.STORES_ELASTICSEARCH_URL!, index, searchTimeoutMs: 5000, writeTimeoutMs: 60000 });
  await fts.upsert(docs);
  let t = performance.now();
  await es.upsert(docs);
  console.log('es upsert 2000', Math.round(performance.now() - t));
  for (const terms of [1, 2, 3]) {
    let sameTop1 = 0, sameTop10Set = 0, sameTop10Order = 0, n = 0, overlap = 0;
    const diffs: string[] = [];
    for (let q = 0; q < 200; q++) {
      const text = [...new Set(Array.from({ length: terms }, zipf))].join(' ');
      const fa = await fts.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text, topK: 50 });
      const fb = await es.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text, topK: 50 });
      // break ties by id so tie order does not count as a difference
      const norm = (h: { chunkId: string; score: number }[], r: number) => h.map((x) => ({ id: x.chunkId, s: Math.round(x.score * r) })).sort((x, y) => y.s - x.s || x.id.localeCompare(y.id)).slice(0, 10).map((x) => x.id);
      const a = norm(fa, 1e6), b = norm(fb, 1e4);
      n++;
      if (a[0] === b[0]) sameTop1++;
      overlap += a.filter((x) => b.includes(x)).length;
      if ([...a].sort().join() === [...b].sort().join()) sameTop10Set++;
      if (a.join() === b.join()) sameTop10Order++; else if (diffs.length < 3) diffs.push(`${text}: fts ${fa.slice(0, 4).map((h) => h.chunkId + ':' + h.score.toFixed(3)).join(' ')} | es ${fb.slice(0, 4).map((h) => h.chunkId + ':' + h.score.toFixed(3)).join(' ')}`);
    }
    console.log({ terms, n, sameTop1, sameTop10Set, sameTop10Order, meanOverlap10: overlap / n });
    console.log(diffs.join('\n'));
  }
  // latency
  const lat: number[] = [];
  for (let q = 0; q < 200; q++) {
    t = performance.now();
    await es.search({ scope: { tenantId: tenant, groups: [EVERYONE_GROUP] }, text: `${zipf()} ${zipf()}`, topK: 10 });
    lat.push(performance.now() - t);
  }
  lat.sort((x, y) => x - y);
  console.log('search ms p50', lat[100]!.toFixed(1), 'p95', lat[190]!.toFixed(1));
  const w: number[] = [];
  for (let q = 0; q < 10; q++) {
    t = performance.now();
    await es.upsert([rec(5000 + q, 'fresh words')]);
    w.push(performance.now() - t);
  }
  console.log('upsert-1 wait_for ms', w.map((x) => Math.round(x)).join(' '));
  const d: number[] = [];
  for (let q = 0; q < 5; q++) {
    t = performance.now();
    await es.delete(tenant, [`d${5000 + q}@1#0`]);
    d.push(performance.now() - t);
  }
  console.log('delete-1 ms', d.map((x) => Math.round(x)).join(' '));
  await es.close();
  await fetch(`${process.env.STORES_ELASTICSEARCH_URL}/${index}`, { method: 'DELETE' });
}, 300_000);
