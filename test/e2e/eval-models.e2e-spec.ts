import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const MINI = 'test/fixtures/eval-mini';

interface Report {
  embedder: string;
  productSettings: Record<string, string>;
  modes: { mode: string; errors: number; metrics: { ndcg10: number } }[];
  peers: { peer: string; errors: number; metrics: { ndcg10: number } }[];
  answers: { generator: string; questions: number; errors: number; verificationPassRate: number } | null;
}

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

/** The evaluation with the real model servers (scripts/models) on the full profile's real stores. */
describe('npm run eval with the model servers', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rag-e2e-eval-models-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('embeds with the embedding server, answers with the chat model and runs the LangChain ensemble on the same vectors', async () => {
    const json = join(outDir, 'models.json');
    const run = await runEval([MINI, '--quick', '--profile', 'full', '--workers', '2', '--embedder', 'model', '--peers', 'langchain-ensemble', '--generator', 'model', '--answers', '2', '--json', json]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.embedder).toBe('model');
    expect(report.productSettings).toMatchObject({ EMBEDDER_ADAPTER: 'openai', GENERATOR_ADAPTER: 'openai' });
    for (const mode of report.modes) expect(mode.errors).toBe(0);
    // e5 knows what the six bilingual questions mean: the vector mode alone finds most answers.
    expect(report.modes.find((mode) => mode.mode === 'vector')?.metrics.ndcg10).toBeGreaterThan(0.6);
    expect(report.peers).toEqual([expect.objectContaining({ peer: 'langchain-ensemble', errors: 0 })]);
    expect(report.answers).toMatchObject({ generator: 'model', questions: 2, errors: 0 });
  }, 600_000);
});
