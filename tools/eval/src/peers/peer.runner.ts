import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '@rag/deployment';
import type { Dataset } from '../dataset/dataset.loader.js';
import { summarizeLatency, type LatencySummary } from '../metrics/latency.summary.js';
import { meanMetrics, rankingMetrics, type RankingMetrics } from '../metrics/ranking.metrics.js';
import { type PeerName, SLOW_PEERS } from './peer.registry.js';
import { evenlySpaced } from '../dataset/dataset.subset.js';

export interface PeerResult {
  readonly peer: PeerName;
  readonly queries: number;
  readonly metrics: RankingMetrics;
  /** In the peer's own process, around each retrieval call: no HTTP, unlike the product's modes. */
  readonly latencyMs: LatencySummary;
  readonly queriesPerSecond: number;
  readonly indexSeconds: number;
  /** Queries the peer threw on; they score 0. */
  readonly errors: number;
  readonly firstError: string | null;
}

export interface PeerJob {
  readonly peers: readonly PeerName[];
  readonly topK: number;
  readonly embedding: { readonly url: string; readonly model: string; readonly inputTypeField: string | undefined } | null;
  readonly elasticsearchUrl: string | null;
  /** The slow peers rank only this many queries, evenly spaced (null: every query). */
  readonly slowPeerQueries: number | null;
}

const PEERS_DIR = join(PROJECT_ROOT, 'tools/eval/peers');

/** The peers need their own dependency tree installed; the message says how. */
export class PeersNotInstalledError extends Error {}

/** Runs the peers in their own process over the dataset and scores their rankings like the product's. */
export async function runPeers(dataset: Dataset, job: PeerJob): Promise<PeerResult[]> {
  if (job.peers.length === 0) return [];
  if (!existsSync(join(PEERS_DIR, 'node_modules'))) {
    throw new PeersNotInstalledError(`The peer retrievers are not installed: run (cd tools/eval/peers && npm ci) first; they keep their own dependency tree.`);
  }
  const folder = mkdtempSync(join(tmpdir(), 'rag-eval-peers-'));
  try {
    const jobFile = join(folder, 'job.json');
    const sampled = job.slowPeerQueries === null ? null : evenlySpaced(dataset.queries, job.slowPeerQueries).map((query) => query.id);
    writeFileSync(jobFile, JSON.stringify({ ...job, corpus: dataset.corpus, queries: dataset.queries, sampledPeers: sampled ? SLOW_PEERS : [], sampledQueryIds: sampled ?? [] }));
    const lines = await runChild(jobFile);
    return lines.map((line) => scorePeer(JSON.parse(line) as PeerOutput, dataset));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

interface PeerOutput {
  readonly name: PeerName;
  readonly indexSeconds: number;
  readonly rankings: Record<string, string[]>;
  readonly latencies: number[];
  readonly seconds: number;
  readonly errors: number;
  readonly firstError: string | null;
}

/** Scored over the queries the peer ranked: all of them, or the sample a slow peer was given. */
function scorePeer(output: PeerOutput, dataset: Dataset): PeerResult {
  const queries = dataset.queries.filter((query) => query.id in output.rankings);
  const perQuery = queries.map((query) => rankingMetrics(output.rankings[query.id] ?? [], dataset.relevant.get(query.id) ?? new Set<string>()));
  if (output.firstError) process.stderr.write(`${output.errors} ${output.name} queries failed, e.g. ${output.firstError}\n`);
  return {
    peer: output.name,
    queries: queries.length,
    metrics: meanMetrics(perQuery),
    latencyMs: summarizeLatency(output.latencies),
    queriesPerSecond: output.seconds > 0 ? queries.length / output.seconds : 0,
    indexSeconds: output.indexSeconds,
    errors: output.errors,
    firstError: output.firstError,
  };
}

/** The child prints one JSON line per peer on stdout and its progress on stderr, passed through. */
function runChild(jobFile: string): Promise<string[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(PEERS_DIR, 'run-peers.mjs'), jobFile], { cwd: PEERS_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolveRun(stdout.split('\n').filter((line) => line.trim().length > 0));
      else reject(new Error(`The peer retrievers failed (exit ${code}):\n${stderrTail}`));
    });
  });
}
