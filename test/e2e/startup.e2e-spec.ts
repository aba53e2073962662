import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const GATEWAY = resolve(import.meta.dirname, '../../services/gateway/dist/main.js');
const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-startup-'));

function startGateway(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [GATEWAY], { env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolveRun({ code, output });
    });
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('start-up with a store that cannot be reached', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['Redis', { CACHE_ADAPTER: 'redis', REDIS_URL: 'redis://:secret@127.0.0.1:1' }, 'REDIS_URL', 'redis://***@127.0.0.1:1'],
    ['MySQL', { SQL_ADAPTER: 'mysql', MYSQL_URL: 'mysql://rag:secret@127.0.0.1:1/rag' }, 'MYSQL_URL', 'mysql://***@127.0.0.1:1/rag'],
    ['Milvus', { VECTOR_INDEX_ADAPTER: 'milvus', MILVUS_ADDRESS: '127.0.0.1:1' }, 'MILVUS_ADDRESS', '127.0.0.1:1'],
    ['Elasticsearch', { KEYWORD_INDEX_ADAPTER: 'elasticsearch', ELASTICSEARCH_URL: 'http://127.0.0.1:1' }, 'ELASTICSEARCH_URL', 'http://127.0.0.1:1'],
  ];

  it.each(cases)('%s: exits with one line naming the setting and the address, without the password or a stack trace', async (_store, env, setting, shownAddress) => {
    const { code, output } = await startGateway(env);
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gateway failed to start: /);
    expect(lines[0]).toContain(setting);
    expect(lines[0]).toContain(shownAddress);
    expect(output).not.toContain('secret');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('names every missing setting of the full profile', async () => {
    const { code, output } = await startGateway({ PROFILE: 'full' });
    expect(code).toBe(1);
    for (const setting of ['REDIS_URL', 'MILVUS_ADDRESS', 'ELASTICSEARCH_URL', 'MYSQL_URL']) expect(output).toContain(setting);
  });
});
