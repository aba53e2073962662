import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { corpusTotals, leftOutScore } from './left-out-terms.scorer';

/** A throwaway FTS5 table shaped like the index's, to compare with bm25() itself. */
function ftsTable(rows: readonly string[]): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE chunk_terms USING fts5(terms, filters, acl, tokenize = 'unicode61 remove_diacritics 0')`);
  const insert = db.prepare('INSERT INTO chunk_terms (terms, filters, acl) VALUES (?, ?, ?)');
  for (const terms of rows) insert.run(terms, 'tenant', '');
  return db;
}

const ROWS = ['年费 减免 金卡 刷卡 次年', 'annual fee waived gold card', '金卡 年费 年费 标准', 'card fee schedule', '刷卡 次数 规则'];

describe('left-out terms scorer', () => {
  it('reads the row count and the token total of every column from the averages record', () => {
    const db = ftsTable(ROWS);
    const block = db.prepare('SELECT block FROM chunk_terms_data WHERE id = 1').pluck().get() as Buffer;
    // Each row also holds one filter token.
    const tokens = ROWS.reduce((sum, row) => sum + row.split(' ').length + 1, 0);
    expect(corpusTotals(block)).toEqual({ rows: ROWS.length, tokens });
  });

  it.each([
    ['年费', 2],
    ['fee', 2],
    ['金卡', 2],
  ])('adds what bm25() gives the term %s', (term, rows) => {
    const db = ftsTable(ROWS);
    const totals = corpusTotals(db.prepare('SELECT block FROM chunk_terms_data WHERE id = 1').pluck().get() as Buffer);
    const expected = db
      .prepare(`SELECT terms || ' ' || filters || ' ' || acl AS terms, -bm25(chunk_terms, 1.0, 0.0, 0.0) AS score FROM chunk_terms WHERE chunk_terms MATCH ?`)
      .all(`terms : "${term}"`) as { terms: string; score: number }[];
    for (const row of expected) expect(leftOutScore(row.terms, [{ term, rows }], totals)).toBeCloseTo(row.score, 9);
  });

  it('adds nothing for a row without the term', () => {
    expect(leftOutScore('card fee schedule', [{ term: '年费', rows: 2 }], { rows: 5, tokens: 25 })).toBe(0);
  });
});
