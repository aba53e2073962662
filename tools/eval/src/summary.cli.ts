import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EvalReport } from './report/eval.report.js';
import { RETRIEVAL_SETS, retrievalSummary } from './report/retrieval.summary.js';

const USAGE = `Usage: npm run eval:summary -- <folder> [<folder> ...]

Prints one retrieval table per folder (e.g. docs/benchmarks/embedded docs/benchmarks/full) from the
JSON that npm run eval --json wrote there as <set>.json, for ${RETRIEVAL_SETS.join(', ')}.`;

function main(folders: readonly string[]): number {
  if (folders.length === 0 || folders.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return folders.length === 0 ? 1 : 0;
  }
  for (const folder of folders) {
    const directory = resolve(process.env.INIT_CWD ?? process.cwd(), folder);
    const reports = new Map<string, EvalReport>();
    for (const set of RETRIEVAL_SETS) {
      const file = join(directory, `${set}.json`);
      if (existsSync(file)) reports.set(set, JSON.parse(readFileSync(file, 'utf8')) as EvalReport);
    }
    if (reports.size === 0) {
      process.stderr.write(`There is no ${RETRIEVAL_SETS.map((set) => `${set}.json`).join(', ')} in ${directory}.\n`);
      return 1;
    }
    const profile = [...reports.values()][0]?.profile ?? 'unknown';
    process.stdout.write(`${retrievalSummary(profile, reports)}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
