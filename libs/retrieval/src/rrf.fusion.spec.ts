import type { StoreHit } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { fuseByReciprocalRank } from './rrf.fusion';

const hit = (chunkId: string): StoreHit => ({ chunkId, documentId: chunkId.split('@')[0] ?? chunkId, version: 1, score: 0 });

describe('reciprocal rank fusion', () => {
  it('ranks a hit both stores found above hits only one store found', () => {
    const fused = fuseByReciprocalRank({ keyword: [hit('a'), hit('b')], vector: [hit('c'), hit('b')] }, 60);
    expect(fused.map((h) => h.chunkId)).toEqual(['b', 'a', 'c']);
    expect(fused[0]?.ranks).toEqual({ keyword: 2, vector: 2 });
    expect(fused[0]?.score).toBeCloseTo(2 / 62);
  });

  it('uses 1 / (k + rank), so k flattens the head of each list', () => {
    const fused = fuseByReciprocalRank({ keyword: [hit('a')] }, 10);
    expect(fused[0]?.score).toBeCloseTo(1 / 11);
  });

  it('lets a weight favour one store', () => {
    const lists = { keyword: [hit('a'), hit('b')], vector: [hit('b'), hit('a')] };
    expect(fuseByReciprocalRank(lists, 60, { keyword: 1, vector: 0.5 }).map((h) => h.chunkId)).toEqual(['a', 'b']);
    expect(fuseByReciprocalRank(lists, 60, { keyword: 0.5, vector: 1 }).map((h) => h.chunkId)).toEqual(['b', 'a']);
  });

  it('counts a duplicate within one list once, at its best rank', () => {
    const fused = fuseByReciprocalRank({ keyword: [hit('a'), hit('a')] }, 60);
    expect(fused).toHaveLength(1);
    expect(fused[0]?.ranks).toEqual({ keyword: 1 });
  });

  it("keeps each store's own score beside its rank", () => {
    const scored = (chunkId: string, score: number): StoreHit => ({ ...hit(chunkId), score });
    const fused = fuseByReciprocalRank({ keyword: [scored('a', 12.5)], vector: [scored('a', 0.83)] });
    expect(fused[0]?.scores).toEqual({ keyword: 12.5, vector: 0.83 });
  });

  it('returns nothing when every store returned nothing', () => {
    expect(fuseByReciprocalRank({ keyword: [], vector: [] })).toEqual([]);
  });
});
