import type { EvalReport } from './eval.report.js';

/** The four retrieval sets, in the order the benchmark tables show them. */
export const RETRIEVAL_SETS = ['cmrc2018', 'drcd', 'tatqa', 'stard_laws'] as const;

const metric = (value: number) => value.toFixed(3);

/**
 * One profile's retrieval table: nDCG@10 per set (columns) for every mode, every peer and the
 * fitted fusion on its held-out half (rows), from the runs' JSON; then one line per set saying
 * what was run (whole set or sample, counts, command, commit, date, load).
 */
export function retrievalSummary(profile: string, reports: ReadonlyMap<string, EvalReport>): string {
  const sets = RETRIEVAL_SETS.filter((set) => reports.has(set));
  const cell = (set: string, value: (report: EvalReport) => string | null) => value(reports.get(set) as EvalReport) ?? '';
  const rows: { label: string; value: (report: EvalReport) => string | null }[] = [];
  for (const mode of unique(sets.flatMap((set) => reports.get(set)?.modes.map((m) => m.mode) ?? []))) {
    rows.push({ label: `this product, ${mode}`, value: (report) => withOf(report.modes.find((m) => m.mode === mode)?.metrics.ndcg10) });
  }
  for (const peer of unique(sets.flatMap((set) => reports.get(set)?.peers.map((p) => p.peer) ?? []))) {
    rows.push({
      label: `peer: ${peer}`,
      value: (report) => {
        const result = report.peers.find((p) => p.peer === peer);
        if (!result) return null;
        return result.queries < report.dataset.queries ? `${metric(result.metrics.ndcg10)} (${result.queries} queries)` : metric(result.metrics.ndcg10);
      },
    });
  }
  if (sets.some((set) => reports.get(set)?.fit)) {
    rows.push({ label: 'hybrid, fitted fusion (held-out test half only)', value: (report) => (report.fit ? `${metric(report.fit.chosen.test)} (${report.fit.chosen.method} ${report.fit.chosen.weights.keyword}/${report.fit.chosen.weights.vector})` : null) });
  }
  const embedders = unique(sets.map((set) => reports.get(set)?.embedder ?? ''));
  return [
    `| nDCG@10, ${profile} profile, ${embedders.join('/')} embedder | ${sets.map((set) => (reports.get(set)?.dataset.sample ? `${set} (sample)` : set)).join(' | ')} |`,
    `|---|${sets.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.label} | ${sets.map((set) => cell(set, row.value)).join(' | ')} |`),
    '',
    ...sets.map((set) => runLine(reports.get(set) as EvalReport)),
    '',
  ].join('\n');
}

function withOf(value: number | undefined): string | null {
  return value === undefined ? null : metric(value);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function runLine(report: EvalReport): string {
  const { dataset, machine } = report;
  const scope = dataset.quick ? 'quick subset' : dataset.sample ? 'sample (the first judged queries, over their relevant documents topped up in file order)' : 'whole set';
  const load = machine.load ? `, load ${machine.load.start[0]} at start, ${machine.load.end[0]} at end` : '';
  const commit = report.commit.hash ? report.commit.hash.slice(0, 7) : 'unknown commit';
  return `- ${dataset.name}: ${scope}, ${dataset.queries} queries over ${dataset.corpus} documents; \`${report.command}\`; commit \`${commit}\`, ${report.date.slice(0, 16).replace('T', ' ')} UTC${load}.`;
}
