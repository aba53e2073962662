import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hasMilvusCollection, PROJECT_ROOT, type ProfileName, startFull } from '@rag/deployment';
import { testStoreUrls } from '@rag/testing';
import { describe, expect, it } from 'vitest';

const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];
const stores = PROFILES.includes('full') ? testStoreUrls() : null;
const MARKER = 'RAG_E2E_CLEANUP_MARKER';

/** Pids of live processes whose environment carries `MARKER=value` (Linux /proc), the product's services only if asked. */
function markedProcesses(value: string, servicesOnly = false): number[] {
  const needle = `${MARKER}=${value}`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        if (servicesOnly && !readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('/services/')) return false;
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle) && !readFileSync(`/proc/${pid}/stat`, 'latin1').includes(') Z ');
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

describe.runIf(process.platform === 'linux')('stopping an evaluation while the product starts', () => {
  it.each(PROFILES)('on the %s profile, SIGTERM during start-up leaves no process of the run behind', async (profile) => {
    const marker = randomBytes(6).toString('hex');
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'tools/eval/dist/eval.cli.js'), 'test/fixtures/eval-mini', '--quick', '--profile', profile], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, [MARKER]: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    // The first service of the product is starting: the start-up is under way.
    expect(await until(() => markedProcesses(marker, true).length > 0, 60_000), stderr).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(await until(() => markedProcesses(marker).length === 0, 20_000), `still running: ${markedProcesses(marker).join(', ')}`).toBe(true);
  });
});

describe.runIf(stores !== null)('a full-profile deployment', () => {
  it('drops its MySQL database, Milvus collection and Elasticsearch index when it stops', async () => {
    const urls = stores!;
    const deployment = await startFull({ namespacePrefix: 'rag_test_e2e' });
    const { milvusCollection, elasticsearchIndex } = deployment.namespace!;
    const indexExists = async () => (await fetch(new URL(elasticsearchIndex, urls.elasticsearchUrl), { method: 'HEAD' })).status === 200;
    try {
      expect(await hasMilvusCollection(urls.milvusAddress, milvusCollection)).toBe(true);
      expect(await indexExists()).toBe(true);
    } finally {
      await deployment.stop();
    }
    expect(await hasMilvusCollection(urls.milvusAddress, milvusCollection)).toBe(false);
    expect(await indexExists()).toBe(false);
  });
});
