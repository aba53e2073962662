import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const MINI = 'test/fixtures/eval-mini';
const METRICS = ['ndcg10', 'recall1', 'recall5', 'recall10', 'recall100', 'mrr10'] as const;

interface ModeReport {
  mode: string;
  queries: number;
  metrics: Record<(typeof METRICS)[number], number>;
  latencyMs: { p50: number; p95: number };
  errors: number;
  degraded: number;
}
interface Report {
  dataset: { name: string; quick: boolean; corpus: number; queries: number };
  profile: string;
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

  it('names the folder it expected and where the public sets live when the dataset is missing', async () => {
    const missing = join(outDir, 'no-such-dataset');
    const run = await runEval([missing, '--quick']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`There is no dataset folder at ${missing}`);
    expect(run.stderr).toContain('../shared/datasets');
    expect(existsSync(join(outDir, 'no-such-dataset.json'))).toBe(false);
  });
});
