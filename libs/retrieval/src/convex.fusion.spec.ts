import type { StoreHit } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { fuseByConvexCombination, NORMALISATION_DEPTH } from './convex.fusion';
import { fuseHits } from './hit.fusion';

const hit = (chunkId: string, score: number): StoreHit => ({ chunkId, documentId: chunkId, version: 1, score });
const ids = (hits: readonly { chunkId: string }[]) => hits.map((h) => h.chunkId);

describe('convex (normalised weighted) fusion', () => {
  it('lets a store that is far ahead carry a hit that reciprocal ranks would tie', () => {
    // Keyword barely prefers a; vector strongly prefers b. Ranks alone cannot see the difference.
    const lists = { keyword: [hit('a', 10), hit('b', 9.9), hit('c', 1)], vector: [hit('b', 0.9), hit('a', 0.1), hit('c', 0.05)] };
    expect(ids(fuseByConvexCombination(lists, { keyword: 1, vector: 1 }))).toEqual(['b', 'a', 'c']);
  });

  it('follows one store alone when the other weighs 0', () => {
    const lists = { keyword: [hit('a', 3), hit('b', 2), hit('c', 1)], vector: [hit('c', 0.9), hit('b', 0.8), hit('a', 0.7)] };
    expect(ids(fuseByConvexCombination(lists, { keyword: 1, vector: 0 }))).toEqual(['a', 'b', 'c']);
    expect(ids(fuseByConvexCombination(lists, { keyword: 0, vector: 1 }))).toEqual(['c', 'b', 'a']);
  });

  it('maps the best hit of a list to 1 and the last of its head to 0, whatever the score scale', () => {
    const [best, middle, last] = fuseByConvexCombination({ keyword: [hit('a', 40), hit('b', 25), hit('c', 10)] }, { keyword: 2, vector: 1 });
    expect(best?.score).toBeCloseTo(2);
    expect(middle?.score).toBeCloseTo(1);
    expect(last?.score).toBeCloseTo(0);
  });

  it('scores a hit the same however deep the list goes, so fitted weights hold at any topK', () => {
    const head = Array.from({ length: NORMALISATION_DEPTH }, (_, i) => hit(`h${i}`, 100 - i));
    const deeper = [...head, ...Array.from({ length: 30 }, (_, i) => hit(`d${i}`, 50 - i))];
    const shallow = fuseByConvexCombination({ vector: head }, { keyword: 1, vector: 1 });
    const deep = fuseByConvexCombination({ vector: deeper }, { keyword: 1, vector: 1 });
    expect(deep.slice(0, NORMALISATION_DEPTH).map((h) => h.score)).toEqual(shallow.map((h) => h.score));
    expect(deep.at(-1)?.score).toBe(0);
  });

  it('keeps each store\'s own score and rank on the fused hit', () => {
    const a = fuseByConvexCombination({ keyword: [hit('a', 7.5)], vector: [hit('x', 0.9), hit('a', 0.6)] }, { keyword: 1, vector: 1 }).find((h) => h.chunkId === 'a');
    expect(a?.ranks).toEqual({ keyword: 1, vector: 2 });
    expect(a?.scores).toEqual({ keyword: 7.5, vector: 0.6 });
  });

  it('returns nothing when every store returned nothing', () => {
    expect(fuseByConvexCombination({ keyword: [], vector: [] }, { keyword: 1, vector: 1 })).toEqual([]);
  });
});

describe('fusion method', () => {
  const lists = { keyword: [hit('a', 10), hit('b', 9.9), hit('c', 1)], vector: [hit('b', 0.9), hit('a', 0.1), hit('c', 0.05)] };

  it('chooses reciprocal rank or convex fusion by the setting', () => {
    // With equal weights RRF ties a and b and keeps keyword's order; convex sees vector's margin.
    expect(ids(fuseHits(lists, { method: 'rrf', rrfK: 60, weights: { keyword: 1, vector: 1 } }))).toEqual(['a', 'b', 'c']);
    expect(ids(fuseHits(lists, { method: 'convex', rrfK: 60, weights: { keyword: 1, vector: 1 } }))).toEqual(['b', 'a', 'c']);
  });
});
