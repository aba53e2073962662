import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RETRIEVAL_MODES, type RetrievalMode } from '@rag/core';
import type { ProfileName } from '@rag/deployment';

export interface EvalOptions {
  readonly dataset: string;
  readonly quick: boolean;
  readonly json: string | null;
  readonly chart: string | null;
  readonly modes: readonly RetrievalMode[];
  readonly profile: ProfileName;
  readonly topK: number;
  /** Ingest documents.jsonl whole (as Markdown) and score hits by the corpus entries (articles) they hold. */
  readonly wholeDocuments: boolean;
}

export const USAGE = `Usage: npm run eval -- <dataset folder> [--quick] [--json FILE] [--chart FILE]
                        [--modes keyword,vector,hybrid] [--profile embedded|full] [--top-k 100]
                        [--whole-documents]

Starts the product, ingests the dataset's corpus.jsonl, runs queries.jsonl in each mode and scores
the rankings against qrels.tsv (nDCG@10, Recall@1/5/10/100, MRR@10, latency). The public sets are
in ../shared/datasets. A Markdown table goes to stdout, progress to stderr.

  --quick          the first 50 judged queries over 200 documents that include all their relevant ones
  --json FILE      also write the results as JSON, and a PNG chart of nDCG@10 next to it
  --chart FILE     write the PNG chart here instead
  --modes LIST     retrieval modes, comma-separated (default keyword,vector,hybrid)
  --profile NAME   embedded (the all-in-one on a temporary data folder; default) or full
                   (gateway, ingest and worker over the test stores of scripts/stores)
  --top-k N        hits asked for per query (default 100, at most 1000)
  --whole-documents  ingest documents.jsonl (whole laws, as Markdown) instead of corpus.jsonl, and
                   score each hit by the corpus entries (articles) its text holds: article-level
                   metrics over long documents, for navigate and auto (stard_laws)`;

/** A command line the tool cannot run; the message says what is wrong. */
export class UsageError extends Error {}

export function parseEvalOptions(argv: readonly string[]): EvalOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      chart: { type: 'string' },
      modes: { type: 'string', default: 'keyword,vector,hybrid' },
      profile: { type: 'string', default: 'embedded' },
      'top-k': { type: 'string', default: '100' },
      'whole-documents': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  // npm runs scripts from the project root; paths are meant from where the user typed them.
  const fromCaller = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Name the dataset folder, e.g. ../shared/datasets/cmrc2018.' : `One dataset folder at a time, not ${positionals.join(', ')}.`);
  return {
    dataset: fromCaller(positionals[0] as string),
    quick: values.quick,
    json: values.json === undefined ? null : fromCaller(values.json),
    chart: values.chart === undefined ? null : fromCaller(values.chart),
    modes: parseModes(values.modes),
    profile: parseProfile(values.profile),
    topK: parseTopK(values['top-k']),
    wholeDocuments: values['whole-documents'],
  };
}

function parseModes(list: string): RetrievalMode[] {
  const modes = list.split(',').map((mode) => mode.trim()).filter((mode) => mode.length > 0);
  const unknown = modes.filter((mode) => !(RETRIEVAL_MODES as readonly string[]).includes(mode));
  if (modes.length === 0 || unknown.length > 0) throw new UsageError(`--modes: ${unknown.join(', ') || 'none given'}; choose from ${RETRIEVAL_MODES.join(', ')}.`);
  return [...new Set(modes)] as RetrievalMode[];
}

function parseProfile(profile: string): ProfileName {
  if (profile === 'embedded' || profile === 'full') return profile;
  throw new UsageError(`--profile: "${profile}"; choose embedded or full.`);
}

function parseTopK(text: string): number {
  const topK = Number(text);
  if (!Number.isInteger(topK) || topK < 1 || topK > 1000) throw new UsageError(`--top-k: "${text}"; give a whole number from 1 to 1000.`);
  return topK;
}
