import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const PROFILES = process.env.E2E_PROFILES ? process.env.E2E_PROFILES.split(',') : ['embedded', 'full'];
/** cache-hit, fan-out and ingest need the real stores and model servers, which the full profile brings. */
const BENCHES = PROFILES.includes('full') ? ['cache-hit', 'fan-out', 'scale', 'ingest', 'load'] : ['scale', 'load'];

interface LoadFigures {
  traffic?: string;
  requests: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p99: number };
  rssAfterBytes?: number;
}
interface RunFigures {
  profile?: string;
  chunks: number;
  documents: number;
  rssAfterBytes?: number;
  updateToVisibleMs?: { samples: number[] };
}
/** The union of what the five benchmarks write; each reads its own fields. */
interface Figures {
  bare?: LoadFigures;
  gateway?: LoadFigures;
  alone?: { bare: LoadFigures; gateway: LoadFigures };
  samples?: unknown[];
  directMs?: { p50: number };
  runs?: RunFigures[];
  traffic?: LoadFigures[];
}

interface Report {
  format: string;
  bench: string;
  quick: boolean;
  command: string;
  commit: { hash: string | null };
  machine: { cores: number; node: string };
  settings: Record<string, unknown>;
  figures: Figures;
  tables: { caption: string; columns: string[]; rows: string[][] }[];
  targets: { name: string; met: boolean }[];
}

/** Runs `npm run bench -- ...` as a user would, with npm's own CLI when the suite runs under npm. */
function runBench(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  return new Promise((resolveRun) => {
    const child = spawn(command, [...prefix, 'run', '--silent', 'bench', '--', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** What each benchmark must have measured for its table to mean anything (counts, never timings). */
const MEASURED: Record<string, (figures: Figures) => void> = {
  'cache-hit': (figures) => {
    for (const side of [figures.bare, figures.gateway]) expect(side).toMatchObject({ non2xx: 0, errors: 0 });
    expect(figures.gateway!.requests).toBeGreaterThan(0);
    expect(figures.gateway!.latencyMs.p99).toBeGreaterThan(0);
    // The one-at-a-time run answers every request on both routes.
    for (const side of [figures.alone!.bare, figures.alone!.gateway]) expect(side).toMatchObject({ non2xx: 0, errors: 0 });
    expect(figures.alone!.gateway.requests).toBeGreaterThan(0);
  },
  'fan-out': (figures) => {
    expect(figures.samples!.length).toBeGreaterThan(0);
    expect(figures.directMs!.p50).toBeGreaterThan(0);
  },
  scale: (figures) => {
    const runs = figures.runs!;
    expect(runs.map((run) => run.chunks >= 1000)).toEqual([true, true]);
    expect(runs[1]!.chunks).toBeGreaterThan(runs[0]!.chunks);
    for (const run of runs) expect(run.rssAfterBytes).toBeGreaterThan(0);
  },
  ingest: (figures) => {
    expect(figures.runs!.map((run) => run.profile)).toEqual(['embedded', 'full']);
    for (const run of figures.runs!) {
      expect(run.chunks).toBeGreaterThanOrEqual(run.documents);
      expect(run.updateToVisibleMs!.samples).toHaveLength(3);
    }
  },
  load: (figures) => {
    expect(figures.traffic!.map((run) => run.traffic)).toEqual(['search', 'chat', 'mixed']);
    for (const run of figures.traffic!) {
      expect(run).toMatchObject({ non2xx: 0, errors: 0 });
      expect(run.requests).toBeGreaterThan(0);
      expect(run.rssAfterBytes).toBeGreaterThan(0);
    }
  },
};

describe('npm run bench --quick', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rag-e2e-bench-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it.each(BENCHES)('%s prints its table and writes its figures with the machine and commit as JSON', async (name) => {
    const json = join(outDir, `${name}.json`);
    const run = await runBench([name, '--quick', '--json', json]);
    expect(run.code, run.stderr).toBe(0);

    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report).toMatchObject({ format: 'rag-bench/1', bench: name, quick: true });
    expect(report.commit.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.tables[0]?.rows.length).toBeGreaterThan(0);
    MEASURED[name]?.(report.figures);
    expect(run.stdout).toContain(`## ${name} (quick)`);
    expect(run.stdout).toContain(report.tables[0]?.caption);
  }, 240_000);

  it('says which script starts the test servers when a benchmark needs them and they are not configured', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STORES_')));
    const run = await runBench(['cache-hit', '--quick'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cache-hit needs the real test servers');
    expect(run.stderr).toContain('scripts/stores/start-test-stores.sh');
  });

  it('names the benchmarks there are when given one that is not', async () => {
    const run = await runBench(['warp-speed']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('benchmark name: "warp-speed"; choose from cache-hit, fan-out, scale, ingest, load');
  });
});
