import type { FitResult } from '../fusion/fusion.fitter.js';
import type { EvalReport } from './eval.report.js';

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const metric = fixed(3);
const one = fixed(1);

/** The report as Markdown: a heading, the ingest line, one table row per mode and per peer, then fitting and answers. */
export function markdownReport(report: EvalReport): string {
  const { dataset, ingest } = report;
  const scope = `${dataset.quick ? 'quick subset' : dataset.sample ? `sample of ${dataset.sample.queries} queries over ${dataset.sample.corpus} documents` : 'all judged queries'}${dataset.scoredBy === 'article' ? ', whole documents, scored by article' : ''}`;
  const lines = [
    `### ${dataset.name} (${report.profile} profile, ${report.embedder} embedder, ${scope})`,
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
    ...report.peers.map((peer) => {
      const m = peer.metrics;
      const sampled = peer.queries < dataset.queries ? ` (${peer.queries} of ${dataset.queries} queries, evenly spaced)` : '';
      return `| peer: ${peer.peer}${sampled} | ${metric(m.ndcg10)} | ${metric(m.recall1)} | ${metric(m.recall5)} | ${metric(m.recall10)} | ${metric(m.recall100)} | ${metric(m.mrr10)} | ${one(peer.latencyMs.p50)} | ${one(peer.latencyMs.p95)} | ${one(peer.queriesPerSecond)} | - | ${peer.errors} |`;
    }),
    '',
    ...(report.peers.length > 0 ? ['Peer latencies are measured inside the peer\'s own process (no HTTP); the modes\' are client-side over loopback HTTP.', ''] : []),
    ...fitLines(report),
    ...answerLines(report),
  ];
  return lines.join('\n');
}

function fitLines(report: EvalReport): string[] {
  const { fit } = report;
  if (!fit) return [];
  const describe = (c: FitResult['chosen']) => `${c.method}, keyword ${c.weights.keyword}, vector ${c.weights.vector}`;
  const row = (name: string, c: FitResult['chosen'], weights: boolean) => `| ${name} | ${weights ? describe(c) : '-'} | ${metric(c.dev)} | ${metric(c.test)} |`;
  return [
    `Fusion fitted on the dev split (${fit.queries.dev} queries), checked on the held-out test split (${fit.queries.test} queries), nDCG@10:`,
    '',
    '| fusion | weights | dev | test |',
    '|---|---|---|---|',
    row('keyword alone', fit.baselines.keyword, false),
    row('vector alone', fit.baselines.vector, false),
    row(`plain RRF (k ${fit.rrfK})`, fit.baselines.plainRrf, true),
    row('best weighted RRF on dev', fit.bestRrf, true),
    row('best convex on dev', fit.bestConvex, true),
    row('**chosen**', fit.chosen, true),
    '',
  ];
}

function answerLines(report: EvalReport): string[] {
  const { answers: a } = report;
  if (!a) return [];
  return [
    `Answers through /v1/chat (hybrid, top 5) with the ${a.generator} generator, ${a.questions} questions with gold answers:`,
    '',
    '| generator | questions | cited chunks contain the answer | answer text contains it | citation precision | uncited | verification passed | extractive fallback | p50 ms | p95 ms | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${a.generator} | ${a.questions} | ${metric(a.citedChunksContainAnswer)} | ${metric(a.answerTextContainsAnswer)} | ${metric(a.citationPrecision)} | ${metric(a.uncited)} | ${metric(a.verificationPassRate)} | ${metric(a.fallbackRate)} | ${one(a.latencyMs.p50)} | ${one(a.latencyMs.p95)} | ${a.errors} |`,
    '',
  ];
}
