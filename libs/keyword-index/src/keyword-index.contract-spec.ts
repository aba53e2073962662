import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVERYONE_GROUP, toTenantId, type KeywordIndex, type KeywordRecord } from '@rag/core';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ElasticsearchKeywordIndex } from './elasticsearch/elasticsearch.keyword-index';
import { SqliteFtsKeywordIndex } from './embedded/sqlite-fts.keyword-index';

interface Harness {
  open(): Promise<KeywordIndex>;
  /** Closes and opens the store again, as after a server or process restart. */
  reopen(index: KeywordIndex): Promise<KeywordIndex>;
  dispose(): Promise<void>;
}

/** One entry per adapter; every case below runs against each. */
const adapters: [string, () => Harness][] = [
  [
    'embedded (SQLite FTS5)',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'keyword-contract-'));
      return {
        open: () => Promise.resolve(SqliteFtsKeywordIndex.open({ directory })),
        reopen: async (index) => {
          await index.close();
          return SqliteFtsKeywordIndex.open({ directory });
        },
        dispose: () => Promise.resolve(rmSync(directory, { recursive: true, force: true })),
      };
    },
  ],
];

const stores = testStoreUrls();
if (stores) {
  adapters.push([
    'elasticsearch',
    () => {
      const settings = { url: stores.elasticsearchUrl, index: uniqueTestName('keyword').toLowerCase(), searchTimeoutMs: 5_000, writeTimeoutMs: 30_000 };
      return {
        open: () => ElasticsearchKeywordIndex.open(settings),
        reopen: async (index) => {
          await index.close();
          return ElasticsearchKeywordIndex.open(settings);
        },
        dispose: () => deleteIndex(settings.url, settings.index),
      };
    },
  ]);
}

/** Removes a test's index and template; plain HTTP keeps the Elasticsearch client inside the adapter. */
async function deleteIndex(url: string, index: string): Promise<void> {
  for (const path of [index, `_index_template/${index}`]) {
    const response = await fetch(new URL(path, url), { method: 'DELETE' });
    if (!response.ok && response.status !== 404) throw new Error(`Could not delete test ${path}: HTTP ${response.status}`);
  }
}

const bankA = toTenantId('bank-a');
const bankB = toTenantId('bank-b');
const everyone = { tenantId: bankA, groups: [EVERYONE_GROUP] };

function record(chunkId: string, text: string, extra: Partial<KeywordRecord> = {}): KeywordRecord {
  return { chunkId, tenantId: bankA, collection: 'c1', documentId: chunkId.split('@')[0] ?? chunkId, version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text, ...extra };
}

const ids = (hits: { chunkId: string }[]) => hits.map((hit) => hit.chunkId);

describe.each(adapters)('KeywordIndex contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let index: KeywordIndex;

  async function setUp(records: KeywordRecord[] = []): Promise<void> {
    harness = makeHarness();
    index = await harness.open();
    if (records.length > 0) await index.upsert(records);
  }

  afterEach(async () => {
    await index.close().catch(() => undefined);
    await harness.dispose();
  });

  it('ranks by BM25: more matching rare terms first', async () => {
    await setUp([
      record('a@1#0', 'The savings account pays interest monthly.'),
      record('b@1#0', 'Wire transfer fees are charged per transfer; transfer limits apply.'),
      record('c@1#0', 'Mortgage interest is fixed for five years.'),
    ]);
    const hits = await index.search({ scope: everyone, text: 'transfer fees', topK: 5 });
    expect(ids(hits)).toEqual(['b@1#0']);
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect(ids(await index.search({ scope: everyone, text: 'interest', topK: 5 })).sort()).toEqual(['a@1#0', 'c@1#0']);
  });

  it('finds Chinese text by words and by parts of words', async () => {
    await setUp([record('zh@1#0', '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。'), record('en@1#0', 'Gold card annual fee.')]);
    expect(ids(await index.search({ scope: everyone, text: '金卡年费', topK: 5 }))).toEqual(['zh@1#0']);
    expect(ids(await index.search({ scope: everyone, text: '免收年费吗？', topK: 5 }))).toEqual(['zh@1#0']);
  });

  it('searches the title and section path as well as the text', async () => {
    await setUp([record('a@1#0', 'Call the hotline.', { title: '信用卡常见问题', sectionPath: ['信用卡常见问题', '挂失与补卡'] })]);
    expect(ids(await index.search({ scope: everyone, text: '挂失', topK: 5 }))).toEqual(['a@1#0']);
  });

  it('finds codes as typed, joined, or in full-width form', async () => {
    await setUp([record('code@1#0', 'Ask for PPR-9087. Cards starting 6222 0200 1234 qualify.'), record('other@1#0', 'PPR-1000 is another route.')]);
    for (const query of ['PPR-9087', 'ppr9087', 'ＰＰＲ－９０８７', '6222 0200 1234', '622202001234']) {
      expect(ids(await index.search({ scope: everyone, text: query, topK: 1 }))).toEqual(['code@1#0']);
    }
  });

  it('treats query syntax as plain text', async () => {
    await setUp([record('a@1#0', 'Fees AND limits OR NEAR rules apply to "wire" transfers.')]);
    for (const query of ['"wire', 'AND OR NOT', 'NEAR(fees limits)', 'fees*', '^rules', 'col:fees', "'; DROP TABLE chunks; --"]) {
      await expect(index.search({ scope: everyone, text: query, topK: 5 })).resolves.toBeInstanceOf(Array);
    }
    expect(ids(await index.search({ scope: everyone, text: 'NEAR(fees limits)', topK: 5 }))).toEqual(['a@1#0']);
  });

  it('handles unicode edge cases without error', async () => {
    await setUp([record('a@1#0', 'Emoji 💳 card, café, 𠮷野家, zero\u200bwidth, and Ｆｕｌｌ width.')]);
    expect(ids(await index.search({ scope: everyone, text: 'cafe', topK: 5 }))).toEqual([]);
    expect(ids(await index.search({ scope: everyone, text: 'café', topK: 5 }))).toEqual(['a@1#0']);
    expect(ids(await index.search({ scope: everyone, text: 'full', topK: 5 }))).toEqual(['a@1#0']);
    expect(ids(await index.search({ scope: everyone, text: '𠮷野家', topK: 5 }))).toEqual(['a@1#0']);
    expect(await index.search({ scope: everyone, text: '💳', topK: 5 })).toEqual([]);
  });

  it('returns nothing for an empty index, an empty query or a query of punctuation', async () => {
    await setUp();
    expect(await index.search({ scope: everyone, text: 'anything', topK: 5 })).toEqual([]);
    await index.upsert([record('a@1#0', 'text')]);
    expect(await index.search({ scope: everyone, text: '', topK: 5 })).toEqual([]);
    expect(await index.search({ scope: everyone, text: '？！…', topK: 5 })).toEqual([]);
  });

  it('replaces a record upserted again, and keeps the last of duplicates in a batch', async () => {
    await setUp([record('a@1#0', 'old words here')]);
    await index.upsert([record('a@1#0', 'interim'), record('a@1#0', 'new words here', { version: 2 })]);
    expect(await index.search({ scope: everyone, text: 'old', topK: 5 })).toEqual([]);
    expect(await index.search({ scope: everyone, text: 'interim', topK: 5 })).toEqual([]);
    expect(await index.search({ scope: everyone, text: 'new', topK: 5 })).toMatchObject([{ chunkId: 'a@1#0', version: 2 }]);
  });

  it('forgets deleted records, and a delete of unknown ids is harmless', async () => {
    await setUp([record('a@1#0', 'shared term'), record('b@1#0', 'shared term')]);
    await index.delete(bankA, ['a@1#0', 'never-existed']);
    expect(ids(await index.search({ scope: everyone, text: 'shared', topK: 5 }))).toEqual(['b@1#0']);
  });

  it('keeps tenants apart for search and delete', async () => {
    await setUp([record('a@1#0', 'shared term'), record('x@1#0', 'shared term', { tenantId: bankB })]);
    await index.delete(bankB, ['a@1#0']);
    expect(ids(await index.search({ scope: everyone, text: 'shared', topK: 5 }))).toEqual(['a@1#0']);
    expect(ids(await index.search({ scope: { tenantId: bankB, groups: 'all' }, text: 'shared', topK: 5 }))).toEqual(['x@1#0']);
  });

  it('filters by ACL group and collection inside the query', async () => {
    await setUp([
      record('public@1#0', 'policy text'),
      record('board@1#0', 'policy text', { aclGroups: ['董事会 board'] }),
      record('other@1#0', 'policy text', { collection: 'c2' }),
    ]);
    const teller = { tenantId: bankA, groups: [EVERYONE_GROUP, 'tellers'] };
    expect(ids(await index.search({ scope: teller, text: 'policy', topK: 5 })).sort()).toEqual(['other@1#0', 'public@1#0']);
    expect(ids(await index.search({ scope: { tenantId: bankA, groups: ['董事会 board'] }, text: 'policy', topK: 5 }))).toEqual(['board@1#0']);
    expect(ids(await index.search({ scope: teller, collection: 'c2', text: 'policy', topK: 5 }))).toEqual(['other@1#0']);
  });

  it('applies a changed ACL or collection when a record is upserted again', async () => {
    const teller = { tenantId: bankA, groups: [EVERYONE_GROUP, 'tellers'] };
    await setUp([record('a@1#0', 'policy text', { aclGroups: ['tellers'] })]);
    await index.upsert([record('a@1#0', 'policy text', { aclGroups: ['board'], collection: 'c2' })]);
    expect(await index.search({ scope: teller, text: 'policy', topK: 5 })).toEqual([]);
    expect(ids(await index.search({ scope: { tenantId: bankA, groups: ['board'] }, collection: 'c2', text: 'policy', topK: 5 }))).toEqual(['a@1#0']);
    expect(await index.search({ scope: { tenantId: bankA, groups: 'all' }, collection: 'c1', text: 'policy', topK: 5 })).toEqual([]);
  });

  it('shows nothing to a reader with no groups', async () => {
    await setUp([record('a@1#0', 'policy text')]);
    expect(await index.search({ scope: { tenantId: bankA, groups: [] }, text: 'policy', topK: 5 })).toEqual([]);
  });

  it('ranks a short chunk above a long one with the same matches', async () => {
    await setUp([
      record('long@1#0', 'The annual fee is waived after six purchases, and the card also offers travel insurance, airport lounges and cash back.'),
      record('short@1#0', 'Annual fee waived.'),
      record('other@1#0', 'Mortgage rates.'),
    ]);
    expect(ids(await index.search({ scope: everyone, text: 'annual fee', topK: 5 }))).toEqual(['short@1#0', 'long@1#0']);
  });

  it('accepts empty batches and reports itself healthy', async () => {
    await setUp();
    await index.upsert([]);
    await index.delete(bankA, []);
    expect(await index.health()).toMatchObject({ ok: true });
  });

  it('takes 10,000 records and finds a unique one', async () => {
    await setUp();
    const records = Array.from({ length: 10_000 }, (_, i) => record(`bulk${i}@1#0`, `Paragraph ${i} about account rules and uniqueword${i}.`));
    await index.upsert(records);
    expect(ids(await index.search({ scope: everyone, text: 'uniqueword7777', topK: 3 }))).toEqual(['bulk7777@1#0']);
    expect(await index.search({ scope: everyone, text: 'account rules', topK: 10 })).toHaveLength(10);
  });

  it('lists a tenant’s chunk ids in pages, in order, without another tenant’s or deleted ones', async () => {
    await setUp();
    const chunkIds = Array.from({ length: 25 }, (_, i) => `doc${String(i).padStart(2, '0')}@1#0.${i}`);
    // Written newest first over several calls, so that no store can list them in the order written.
    for (let end = chunkIds.length; end > 0; end -= 5) await index.upsert(chunkIds.slice(Math.max(0, end - 5), end).reverse().map((id, i) => record(id, i % 2 === 0 ? `金卡年费 ${i}` : `annual fee ${i}`)));
    await index.upsert([record('zz-other@1#0', 'other bank', { tenantId: bankB })]);
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
    expect(pages.flat()).toEqual(chunkIds.filter((id) => id !== 'doc03@1#0.3'));
    expect(await index.listChunkIds(bankB, null, 10)).toEqual(['zz-other@1#0']);
    expect(await index.listChunkIds(toTenantId('bank-c'), null, 10)).toEqual([]);
  });

  it('keeps its data across a restart', async () => {
    await setUp([record('a@1#0', 'durable text'), record('b@1#0', 'durable text')]);
    await index.delete(bankA, ['b@1#0']);
    index = await harness.reopen(index);
    expect(ids(await index.search({ scope: everyone, text: 'durable', topK: 5 }))).toEqual(['a@1#0']);
  });
});
