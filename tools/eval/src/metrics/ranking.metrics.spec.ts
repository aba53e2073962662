import { describe, expect, it } from 'vitest';
import { meanMetrics, ndcgAt, rankingMetrics, recallAt, reciprocalRankAt } from './ranking.metrics.js';

const relevant = (...ids: string[]) => new Set(ids);
const misses = (n: number, prefix = 'x') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('nDCG@10 with binary relevance', () => {
  it('is 1 when the only relevant document is first', () => {
    expect(ndcgAt(10, ['a', 'b', 'c'], relevant('a'))).toBe(1);
  });

  it('discounts a relevant document at rank 2 by 1 / log2(3)', () => {
    // DCG = 1 / log2(3) = 0.6309; ideal DCG = 1.
    expect(ndcgAt(10, ['x', 'a'], relevant('a'))).toBeCloseTo(0.63093, 5);
  });

  it('divides by the ideal DCG of all relevant documents', () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1/log2(2) + 1/log2(3) = 1.63093; 1.5 / 1.63093 = 0.91972.
    expect(ndcgAt(10, ['a', 'x', 'b'], relevant('a', 'b'))).toBeCloseTo(0.91972, 5);
  });

  it('counts a relevant document that is not retrieved against the ideal', () => {
    // DCG = 1; ideal = 1 + 1/log2(3) = 1.63093; 1 / 1.63093 = 0.61315.
    expect(ndcgAt(10, ['a', 'x'], relevant('a', 'b'))).toBeCloseTo(0.61315, 5);
  });

  it('ignores everything after rank 10', () => {
    expect(ndcgAt(10, [...misses(10), 'a'], relevant('a'))).toBe(0);
    // Rank 10: 1 / log2(11) = 0.28906.
    expect(ndcgAt(10, [...misses(9), 'a'], relevant('a'))).toBeCloseTo(0.28906, 5);
  });

  it('caps the ideal at 10 results when more documents are relevant', () => {
    const many = misses(12, 'r');
    expect(ndcgAt(10, many, new Set(many))).toBe(1);
  });

  it('is 0 for no relevant document found, and for a query without relevant documents', () => {
    expect(ndcgAt(10, ['x', 'y'], relevant('a'))).toBe(0);
    expect(ndcgAt(10, ['x'], relevant())).toBe(0);
  });
});

describe('recall@k', () => {
  const ranking = ['a', 'x', 'b', 'y', 'z', 'c'];
  const four = relevant('a', 'b', 'c', 'd');

  it('is the share of relevant documents within the first k', () => {
    expect(recallAt(1, ranking, four)).toBe(0.25);
    expect(recallAt(5, ranking, four)).toBe(0.5);
    expect(recallAt(10, ranking, four)).toBe(0.75);
  });

  it('is 0 for an empty ranking', () => {
    expect(recallAt(100, [], four)).toBe(0);
  });
});

describe('MRR@10', () => {
  it('is 1 / rank of the first relevant document', () => {
    expect(reciprocalRankAt(10, ['a', 'b'], relevant('a', 'b'))).toBe(1);
    expect(reciprocalRankAt(10, ['x', 'y', 'a', 'b'], relevant('a', 'b'))).toBeCloseTo(1 / 3, 10);
  });

  it('is 0 when the first relevant document is below rank 10', () => {
    expect(reciprocalRankAt(10, [...misses(10), 'a'], relevant('a'))).toBe(0);
  });
});

describe('mean over queries', () => {
  it('averages each metric', () => {
    const first = rankingMetrics(['a'], relevant('a'));
    const second = rankingMetrics(['x', 'b'], relevant('b'));
    const mean = meanMetrics([first, second]);
    expect(mean.recall1).toBe(0.5);
    expect(mean.recall5).toBe(1);
    expect(mean.mrr10).toBe(0.75);
    expect(mean.ndcg10).toBeCloseTo((1 + 0.63093) / 2, 5);
  });

  it('is all zeros for no queries', () => {
    expect(meanMetrics([])).toEqual({ ndcg10: 0, recall1: 0, recall5: 0, recall10: 0, recall100: 0, mrr10: 0 });
  });
});
