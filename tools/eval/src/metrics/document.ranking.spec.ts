import { describe, expect, it } from 'vitest';
import { corpusRanking } from './document.ranking.js';

describe('ranking chunk hits by corpus document', () => {
  it('keeps the first rank of a document found through several chunks and drops unknown documents', () => {
    const corpusIdOf = new Map([
      ['doc_1', 'A'],
      ['doc_2', 'B'],
      ['doc_3', 'C'],
    ]);
    const hits = ['doc_1', 'doc_2', 'doc_1', 'doc_x', 'doc_3', 'doc_2'].map((documentId) => ({ documentId }));
    expect(corpusRanking(hits, corpusIdOf)).toEqual(['A', 'B', 'C']);
  });
});
