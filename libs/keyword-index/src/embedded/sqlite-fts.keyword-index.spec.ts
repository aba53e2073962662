import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVERYONE_GROUP, toTenantId, type KeywordRecord } from '@rag/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteFtsKeywordIndex } from './sqlite-fts.keyword-index';

const tenantId = toTenantId('bank-a');

function record(chunkId: string, text: string): KeywordRecord {
  return { chunkId, tenantId, collection: 'cards', documentId: chunkId, version: 1, aclGroups: [EVERYONE_GROUP], title: '', sectionPath: [], text };
}

/** Many chunks about gold cards, one about reporting a lost card: 挂失 is the query's rare term. */
const RECORDS = [
  record('lost', '信用卡挂失流程 How to report a lost card'),
  ...Array.from({ length: 12 }, (_, i) => record(`gold-${i}`, `金卡年费规则第${i}条 gold card fee rule ${i}`)),
];

describe('embedded keyword index, scored-rows budget', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  async function indexWith(scoredRows: number): Promise<SqliteFtsKeywordIndex> {
    const directory = mkdtempSync(join(tmpdir(), 'rag-fts-budget-'));
    folders.push(directory);
    const index = SqliteFtsKeywordIndex.open({ directory, scoredRows });
    await index.upsert(RECORDS);
    return index;
  }

  async function hitIds(index: SqliteFtsKeywordIndex, text: string): Promise<string[]> {
    return (await index.search({ scope: { tenantId, groups: 'all' }, text, topK: 20 })).map((hit) => hit.chunkId);
  }

  it('0 scores every matching row: a chunk with only the common terms is found too', async () => {
    const exact = await indexWith(0);
    const ids = await hitIds(exact, '金卡挂失');
    expect(ids[0]).toBe('lost');
    expect(ids).toContain('gold-3');
    await exact.close();
  });

  it('a small budget matches the rarest terms only, and ranks the same best hit', async () => {
    const bounded = await indexWith(1);
    const ids = await hitIds(bounded, '金卡挂失');
    expect(ids[0]).toBe('lost');
    expect(ids).not.toContain('gold-3');
    await bounded.close();
  });

  it('the budget changes nothing when every term fits in it (English)', async () => {
    const exact = await indexWith(0);
    const bounded = await indexWith(4_000);
    expect(await hitIds(bounded, 'gold card fee')).toEqual(await hitIds(exact, 'gold card fee'));
    await exact.close();
    await bounded.close();
  });
});
