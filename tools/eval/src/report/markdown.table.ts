import type { EvalReport } from './eval.report.js';

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const metric = fixed(3);
const one = fixed(1);

/** The report as Markdown: a heading, the ingest line, and one table row per mode. */
export function markdownReport(report: EvalReport): string {
  const { dataset, ingest } = report;
  const scope = `${dataset.quick ? 'quick subset' : 'all judged queries'}${dataset.scoredBy === 'article' ? ', whole documents, scored by article' : ''}`;
  const lines = [
    `### ${dataset.name} (${report.profile} profile, ${scope})`,
    '',
    `${dataset.corpus} documents, ${dataset.queries} queries, top ${report.topK}. Ingest: ${ingest.indexed} indexed` +
      `${ingest.failed > 0 ? `, ${ingest.failed} failed` : ''}, ${ingest.chunks} chunks in ${one(ingest.seconds)} s ` +
      `(${one(ingest.documentsPerSecond)} documents/s, ${one(ingest.chunksPerSecond)} chunks/s).`,
    '',
    '| mode | nDCG@10 | Recall@1 | Recall@5 | Recall@10 | Recall@100 | MRR@10 | p50 ms | p95 ms | queries/s | model calls/query | navigated | degraded | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.modes.map((mode) => {
      const m = mode.metrics;
      return `| ${mode.mode} | ${metric(m.ndcg10)} | ${metric(m.recall1)} | ${metric(m.recall5)} | ${metric(m.recall10)} | ${metric(m.recall100)} | ${metric(m.mrr10)} | ${one(mode.latencyMs.p50)} | ${one(mode.latencyMs.p95)} | ${one(mode.queriesPerSecond)} | ${mode.modelCallsPerQuery.toFixed(2)} | ${mode.navigated} | ${mode.degraded} | ${mode.errors} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
