import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProfileName } from '@rag/deployment';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const MINI = 'test/fixtures/eval-mini';
const METRICS = ['ndcg10', 'recall1', 'recall5', 'recall10', 'recall100', 'mrr10'] as const;
const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

interface ModeReport {
  mode: string;
  queries: number;
  metrics: Record<(typeof METRICS)[number], number>;
  latencyMs: { p50: number; p95: number };
  errors: number;
  degraded: number;
}
interface Scored {
  method: string;
  weights: { keyword: number; vector: number };
  dev: number;
  test: number;
}
interface Report {
  dataset: { name: string; quick: boolean; corpus: number; queries: number };
  profile: string;
  embedder: string;
  peers: { peer: string; queries: number; errors: number; metrics: Record<(typeof METRICS)[number], number> }[];
  fit: { queries: { dev: number; test: number }; baselines: Record<'keyword' | 'vector' | 'plainRrf', Scored>; chosen: Scored; candidates: Scored[] } | null;
  answers: { generator: string; questions: number; citedChunksContainAnswer: number; citationPrecision: number; verificationPassRate: number; errors: number } | null;
  commit: { hash: string | null };
  machine: { cores: number; node: string };
  ingest: { indexed: number; failed: number; chunks: number };
  modes: ModeReport[];
}

/** Runs `npm run eval -- ...` as a user would, with npm's own CLI when the suite runs under npm. */
function runEval(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  return new Promise((resolveRun) => {
    const child = spawn(command, [...prefix, 'run', '--silent', 'eval', '--', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('npm run eval', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rag-e2e-eval-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('evaluates a small bilingual set on the embedded profile and writes JSON, a chart and a table', async () => {
    const json = join(outDir, 'mini.json');
    const run = await runEval([MINI, '--quick', '--json', json]);
    expect(run.code, run.stderr).toBe(0);

    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.dataset).toMatchObject({ name: 'eval-mini', quick: true, corpus: 12, queries: 6 });
    expect(report.profile).toBe('embedded');
    expect(report.commit.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.ingest).toMatchObject({ indexed: 12, failed: 0 });
    expect(report.modes.map((mode) => mode.mode)).toEqual(['keyword', 'vector', 'hybrid']);
    for (const mode of report.modes) {
      expect(mode).toMatchObject({ queries: 6, errors: 0, degraded: 0 });
      for (const name of METRICS) {
        expect(mode.metrics[name]).toBeGreaterThanOrEqual(0);
        expect(mode.metrics[name]).toBeLessThanOrEqual(1);
      }
      expect(mode.latencyMs.p95).toBeGreaterThanOrEqual(mode.latencyMs.p50);
    }
    const keyword = report.modes.find((mode) => mode.mode === 'keyword');
    expect(keyword?.metrics.ndcg10).toBeGreaterThan(0.8);

    const png = readFileSync(join(outDir, 'mini.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(run.stdout).toContain('| keyword |');
    expect(run.stdout).toContain('nDCG@10');
  }, 120_000);

  // The peers that need no server beside the product on the embedded profile; raw Elasticsearch
  // BM25 where the test stores run (the full profile).
  const PEERS: Record<ProfileName, string[]> = { embedded: ['langchain-bm25', 'llamaindex-bm25'], full: ['elasticsearch-bm25'] };

  it.each(PROFILES)('on the %s profile, fits fusion on a dev split, ranks with peers in the same table and scores answers', async (profile) => {
    const json = join(outDir, `fit-${profile}.json`);
    const env = join(outDir, `fusion-${profile}.env`);
    const run = await runEval([MINI, '--quick', '--profile', profile, '--workers', '2', '--fit', env, '--peers', PEERS[profile].join(','), '--answers', '6', '--json', json]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;

    expect(report.peers.map((peer) => peer.peer)).toEqual(PEERS[profile]);
    for (const peer of report.peers) expect(peer).toMatchObject({ queries: 6, errors: 0 });
    for (const peer of PEERS[profile]) expect(run.stdout).toContain(`| peer: ${peer} |`);
    if (profile === 'full') expect(report.peers[0]?.metrics.ndcg10).toBeGreaterThan(0.5);

    const fit = report.fit;
    expect(fit?.queries.dev).toBeGreaterThan(0);
    expect(fit?.queries.test).toBeGreaterThan(0);
    expect((fit?.queries.dev ?? 0) + (fit?.queries.test ?? 0)).toBe(6);
    expect(fit?.candidates.some((c) => c.method === 'convex')).toBe(true);
    expect(fit?.chosen.dev).toBe(Math.max(...(fit?.candidates ?? []).map((c) => c.dev)));
    const written = readFileSync(env, 'utf8');
    expect(written).toContain(`FUSION_METHOD=${fit?.chosen.method}`);
    expect(written).toContain(`FUSION_WEIGHT_VECTOR=${fit?.chosen.weights.vector}`);
    expect(run.stdout).toContain('held-out test');

    // Every mini question has its answer in its one relevant document.
    expect(report.answers).toMatchObject({ generator: 'extractive', questions: 6, errors: 0 });
    expect(report.answers?.citedChunksContainAnswer).toBeGreaterThanOrEqual(0.5);
    expect(report.answers?.citationPrecision).toBeGreaterThan(0);
    expect(report.answers?.verificationPassRate).toBeGreaterThan(0);

    // The fitted file runs the product as it is: the hybrid mode under those settings.
    const rerun = await runEval([MINI, '--quick', '--profile', profile, '--workers', '2', '--modes', 'hybrid', '--env', env]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('| hybrid |');
  }, 240_000);

  it('refuses an option it cannot honour and says why', async () => {
    const fit = await runEval([MINI, '--quick', '--modes', 'hybrid', '--fit', join(outDir, 'never.env')]);
    expect(fit.code).toBe(1);
    expect(fit.stderr).toContain('--fit needs the keyword and vector modes');
    const peer = await runEval([MINI, '--quick', '--peers', 'langchain-ensemble']);
    expect(peer.code).toBe(1);
    expect(peer.stderr).toContain('needs --embedder model');
    const unknown = await runEval([MINI, '--quick', '--peers', 'whoosh']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--peers: whoosh; choose from langchain-bm25');
  });

  it('names the folder it expected and where the public sets live when the dataset is missing', async () => {
    const missing = join(outDir, 'no-such-dataset');
    const run = await runEval([missing, '--quick']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`There is no dataset folder at ${missing}`);
    expect(run.stderr).toContain('../shared/datasets');
    expect(existsSync(join(outDir, 'no-such-dataset.json'))).toBe(false);
  });
});
