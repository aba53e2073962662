import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Deployment, PROJECT_ROOT, type ProfileName, startEmbedded, startFull } from '@rag/deployment';

export { type Deployment, type ProfileName, startEmbedded } from '@rag/deployment';

/**
 * The embedded profile runs the all-in-one on a temporary data folder. The full profile runs the
 * gateway, the ingest API and an index worker as three processes that share nothing but the real
 * stores, each test run in its own Redis prefix, MySQL database, Milvus collection and ES index.
 */
export async function startDeployment(profile: ProfileName, env: Readonly<Record<string, string>> = {}, workers = 1): Promise<Deployment> {
  if (profile === 'full') return startFull({ namespacePrefix: 'rag_test_e2e', env, workers });
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-'));
  const service = await startEmbedded(dataDir, env);
  return { ...service, storeEnv: { DATA_DIR: dataDir }, stop: () => service.stop().then(() => rmSync(dataDir, { recursive: true, force: true })) };
}

/** Runs one of the project's command-line tools to completion and returns what it printed. */
export function runCli(entry: 'reindex' | 'ingest' | 'reconcile', args: readonly string[], env: Readonly<Record<string, string>>): Promise<{ code: number | null; output: string }> {
  const script = `services/ingest/dist/cli/${entry}.cli.js`;
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}
