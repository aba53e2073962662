import type { StoreHit } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { fitFusion, fusionEnvFile, fusionGrid, type QueryLists } from './fusion.fitter.js';
import { splitOf } from './query.split.js';

const hit = (doc: string, score: number): StoreHit => ({ chunkId: `${doc}#0`, documentId: doc, version: 1, score });

/** Keyword finds the answer second, just behind a near-tie; vector finds it first by a wide margin. */
function query(id: string): QueryLists {
  const answer = `${id}-answer`;
  return {
    queryId: id,
    lists: {
      keyword: [hit(`${id}-decoy`, 10), hit(answer, 9.9), hit(`${id}-other`, 2)],
      vector: [hit(answer, 0.9), hit(`${id}-other`, 0.5), hit(`${id}-decoy`, 0.1)],
    },
  };
}

describe('fusion fitting', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `q${i}`);
  const queries = ids.map(query);
  const relevant = new Map(ids.map((id) => [id, new Set([`${id}-answer`])]));
  const corpusIdOf = new Map(queries.flatMap((q) => [...q.lists.keyword, ...q.lists.vector].map((h) => [h.documentId, h.documentId] as const)));

  it('picks weights that put the answer first and reports them on dev and on held-out test', () => {
    const fit = fitFusion(queries, relevant, corpusIdOf, 60);
    expect(fit.queries.dev + fit.queries.test).toBe(40);
    expect(fit.queries.dev).toBe(ids.filter((id) => splitOf(id) === 'dev').length);
    expect(fit.baselines.keyword.test).toBeCloseTo(1 / Math.log2(3));
    expect(fit.baselines.vector.test).toBeCloseTo(1);
    expect(fit.chosen.dev).toBeCloseTo(1);
    expect(fit.chosen.test).toBeCloseTo(1);
    expect(fit.chosen.test).toBeGreaterThanOrEqual(Math.max(fit.baselines.keyword.test, fit.baselines.vector.test));
  });

  it('writes the chosen method and weights as settings the services read', () => {
    const fit = fitFusion(queries, relevant, corpusIdOf, 60);
    const env = fusionEnvFile(fit, ['npm run eval -- set --fit f.env']);
    expect(env).toContain(`FUSION_METHOD=${fit.chosen.method}`);
    expect(env).toContain(`FUSION_WEIGHT_KEYWORD=${fit.chosen.weights.keyword}`);
    expect(env).toContain(`FUSION_WEIGHT_VECTOR=${fit.chosen.weights.vector}`);
    expect(env.split('\n').filter((line) => line.length > 0 && !line.startsWith('#')).every((line) => /^[A-Z_]+=[\w.]+$/.test(line))).toBe(true);
  });

  it('searches both methods, with weights the configuration accepts', () => {
    const grid = fusionGrid();
    expect(new Set(grid.map((c) => c.method))).toEqual(new Set(['rrf', 'convex']));
    for (const { weights } of grid) {
      expect(weights.keyword).toBeGreaterThanOrEqual(0);
      expect(weights.vector).toBeLessThanOrEqual(10);
    }
  });
});
