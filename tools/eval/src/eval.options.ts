import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RETRIEVAL_MODES, type RetrievalMode } from '@rag/core';
import type { ProfileName } from '@rag/deployment';
import { PEER_NAMES, type PeerName, SLOW_PEERS } from './peers/peer.registry.js';

export const EMBEDDERS = ['lexical', 'model'] as const;
export type EmbedderChoice = (typeof EMBEDDERS)[number];
export const GENERATORS = ['extractive', 'model'] as const;
export type GeneratorChoice = (typeof GENERATORS)[number];

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
  /** A deterministic subset instead of every judged query (`--sample QUERIES,DOCUMENTS`). */
  readonly sample: { readonly queries: number; readonly corpus: number } | null;
  readonly embedder: EmbedderChoice;
  /** An env file (KEY=value lines) passed to the product, e.g. the fusion weights `--fit` wrote. */
  readonly productEnv: string | null;
  /** Fit the fusion weights on the dev half of the queries and write them here as an env file. */
  readonly fit: string | null;
  readonly peers: readonly PeerName[];
  /** Questions to answer with /v1/chat and score against the gold answers (0: none). */
  readonly answers: number;
  readonly generator: GeneratorChoice;
  /** Index worker processes on the full profile. */
  readonly workers: number;
  /** The slow peers rank only this many judged queries, evenly spaced (null: all of them). */
  readonly slowPeerQueries: number | null;
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
                   metrics over long documents, for navigate and auto (stard_laws)
  --sample Q,D     the first Q judged queries over D documents that include all their relevant ones
  --embedder NAME  lexical (the built-in lexical-hash embedder; default) or model (the embedding
                   server of scripts/models, from MODELS_EMBEDDING_* in .models/urls.env)
  --env FILE       pass the KEY=value lines of FILE to the product, e.g. fitted fusion weights
  --fit FILE       fit FUSION_METHOD and weights on the dev half of the queries (by query id), report
                   dev and held-out test nDCG@10, and write the winner to FILE (needs keyword, vector)
  --peers LIST     also rank with other retrievers, comma-separated or all: ${PEER_NAMES.join(', ')}
  --answers N      ask N questions that have gold answers through /v1/chat and score the citations
  --generator NAME extractive (default) or model (the chat server of scripts/models) for --answers
  --workers N      index worker processes on the full profile (default 8)
  --slow-peer-queries N  the peers that re-score every document per query (${SLOW_PEERS.join(', ')})
                   rank only N judged queries, evenly spaced in file order; the others rank all`;

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
      sample: { type: 'string' },
      embedder: { type: 'string', default: 'lexical' },
      env: { type: 'string' },
      fit: { type: 'string' },
      peers: { type: 'string', default: '' },
      answers: { type: 'string', default: '0' },
      generator: { type: 'string', default: 'extractive' },
      workers: { type: 'string', default: '8' },
      'slow-peer-queries': { type: 'string' },
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
    sample: values.sample === undefined ? null : parseSample(values.sample),
    embedder: oneOf('--embedder', values.embedder, EMBEDDERS),
    productEnv: values.env === undefined ? null : fromCaller(values.env),
    fit: values.fit === undefined ? null : fromCaller(values.fit),
    peers: parsePeers(values.peers),
    answers: wholeNumber('--answers', values.answers, 0, 100_000),
    generator: oneOf('--generator', values.generator, GENERATORS),
    workers: wholeNumber('--workers', values.workers, 1, 64),
    slowPeerQueries: values['slow-peer-queries'] === undefined ? null : wholeNumber('--slow-peer-queries', values['slow-peer-queries'], 1, 1_000_000),
  };
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option}: "${value}"; choose ${allowed.join(' or ')}.`);
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${option}: "${text}"; give a whole number from ${min} to ${max}.`);
  return value;
}

function parseSample(text: string): { queries: number; corpus: number } {
  const [queries, corpus, ...rest] = text.split(',');
  if (queries === undefined || corpus === undefined || rest.length > 0) throw new UsageError(`--sample: "${text}"; give QUERIES,DOCUMENTS, e.g. 300,1000.`);
  return { queries: wholeNumber('--sample queries', queries, 1, 1_000_000), corpus: wholeNumber('--sample documents', corpus, 1, 10_000_000) };
}

function parsePeers(list: string): PeerName[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  if (names.length === 1 && names[0] === 'all') return [...PEER_NAMES];
  const unknown = names.filter((name) => !(PEER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`--peers: ${unknown.join(', ')}; choose from ${PEER_NAMES.join(', ')}, or all.`);
  return [...new Set(names)] as PeerName[];
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
