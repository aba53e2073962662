import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.loader.js';
import { evenlySpaced, judgedQueries, subsetOf } from './dataset.subset.js';

const dataset: Dataset = {
  name: 'toy',
  folder: '/toy',
  corpus: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((id) => ({ id, title: id, text: `text of ${id}` })),
  queries: ['q1', 'q2', 'q3', 'q4'].map((id) => ({ id, text: `question ${id}`, answers: [] })),
  relevant: new Map([
    ['q1', new Set(['d5'])],
    ['q3', new Set(['d6', 'd2'])],
    ['q4', new Set(['d1'])],
  ]),
};

describe('evaluation subsets', () => {
  it('keeps only queries that have relevant documents', () => {
    expect(judgedQueries(dataset).queries.map((query) => query.id)).toEqual(['q1', 'q3', 'q4']);
  });

  it('takes the first judged queries and all their relevant documents, topped up in corpus order', () => {
    const subset = subsetOf(dataset, { queries: 2, corpus: 4 });
    expect(subset.queries.map((query) => query.id)).toEqual(['q1', 'q3']);
    // Relevant: d5, d6, d2; one filler (d1), the first other document in file order; order kept.
    expect(subset.corpus.map((entry) => entry.id)).toEqual(['d1', 'd2', 'd5', 'd6']);
    expect([...subset.relevant.keys()]).toEqual(['q1', 'q3']);
  });

  it('keeps every relevant document even when they alone exceed the corpus size', () => {
    const subset = subsetOf(dataset, { queries: 2, corpus: 1 });
    expect(subset.corpus.map((entry) => entry.id)).toEqual(['d2', 'd5', 'd6']);
  });

  it('is the same every time', () => {
    expect(subsetOf(dataset, { queries: 3, corpus: 5 })).toEqual(subsetOf(dataset, { queries: 3, corpus: 5 }));
  });
});

describe('evenlySpaced', () => {
  it('spreads the sample over the whole list, the same every time', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(evenlySpaced(items, 4)).toEqual([0, 2, 5, 7]);
    expect(evenlySpaced(items, 4)).toEqual(evenlySpaced(items, 4));
  });

  it('keeps every item when the sample is as large as the list', () => {
    expect(evenlySpaced(['a', 'b'], 5)).toEqual(['a', 'b']);
  });
});
