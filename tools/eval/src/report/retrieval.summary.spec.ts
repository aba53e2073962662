import { describe, expect, it } from 'vitest';
import type { EvalReport } from './eval.report.js';
import { retrievalSummary } from './retrieval.summary.js';

const metrics = (ndcg10: number) => ({ ndcg10, recall1: 0, recall5: 0, recall10: 0, recall100: 0, mrr10: 0 });

function report(name: string, keyword: number, extra: Record<string, unknown> = {}): EvalReport {
  return {
    dataset: { name, folder: `/sets/${name}`, quick: false, sample: null, corpus: 10, queries: 4 },
    profile: 'embedded',
    embedder: 'lexical',
    command: `npm run eval -- ${name}`,
    date: '2026-11-28T20:00:00.000Z',
    commit: { hash: 'abcdef1234', uncommitted: [] },
    machine: { cpuModel: 'cpu', cores: 2, memoryGiB: 1, node: 'v24', os: 'linux', load: { start: [3.5, 2, 1], end: [4, 3, 2] } },
    modes: [{ mode: 'keyword', metrics: metrics(keyword) }],
    peers: [],
    fit: null,
    ...extra,
  } as unknown as EvalReport;
}

describe('retrievalSummary', () => {
  it('puts every set in a column and every mode and peer in a row, marking samples', () => {
    const reports = new Map([
      ['cmrc2018', report('cmrc2018', 0.98, { peers: [{ peer: 'langchain-bm25', queries: 4, metrics: metrics(0.006) }] })],
      ['tatqa', report('tatqa', 0.53, { dataset: { name: 'tatqa', folder: '/t', quick: false, sample: { queries: 2, corpus: 5 }, corpus: 5, queries: 2 }, peers: [{ peer: 'langchain-bm25', queries: 1, metrics: metrics(0.3) }] })],
    ]);
    const table = retrievalSummary('embedded', reports);
    expect(table).toContain('| nDCG@10, embedded profile, lexical embedder | cmrc2018 | tatqa (sample) |');
    expect(table).toContain('| this product, keyword | 0.980 | 0.530 |');
    expect(table).toContain('| peer: langchain-bm25 | 0.006 | 0.300 (1 queries) |');
    expect(table).toMatch(/- cmrc2018: whole set, 4 queries over 10 documents; `npm run eval -- cmrc2018`; commit `abcdef1`, 2026-11-28 20:00 UTC, load 3.5 at start, 4 at end\./);
  });
});
