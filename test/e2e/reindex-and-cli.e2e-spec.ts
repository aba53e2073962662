import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startEmbedded } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

const CORPUS = resolve(import.meta.dirname, '../../samples/corpus');
/** The same administrator key across both starts of one data folder (keys persist with the data). */
const ADMIN_KEY = `rag_${randomBytes(32).toString('base64url')}`;
const withKey = { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };

describe('command-line tools on the embedded profile', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-cli-'));

  beforeAll(async () => {
    const service = await startEmbedded(dataDir, withKey);
    const noKey = await runCli('ingest', [CORPUS, '--url', service.ingestUrl], {});
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain('An API key with the ingest scope is needed');
    const ingest = await runCli('ingest', [CORPUS, '--url', service.ingestUrl, '--collection', 'samples'], { RAG_API_KEY: ADMIN_KEY });
    expect(ingest.code).toBe(0);
    expect(ingest.output).toContain('Ingested 6, updated 0, unchanged 0, failed 0.');
    const again = await runCli('ingest', [CORPUS, '--url', service.ingestUrl, '--collection', 'samples', '--api-key', ADMIN_KEY], {});
    expect(again.output).toContain('Ingested 0, updated 0, unchanged 6, failed 0.');
    await service.stop();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds lost vector and keyword indexes from the SQL store alone', async () => {
    rmSync(join(dataDir, 'vector-index'), { recursive: true, force: true });
    rmSync(join(dataDir, 'keyword-index'), { recursive: true, force: true });
    const reindex = await runCli('reindex', ['--tenant', 'default'], { DATA_DIR: dataDir });
    expect(reindex.code).toBe(0);
    expect(reindex.output).toMatch(/Rebuilt the indexes of tenant "default": \d+ chunks/);

    const service = await startEmbedded(dataDir, withKey);
    try {
      const http = new HttpClient(service.gatewayUrl, service.gatewayUrl, ADMIN_KEY);
      for (const mode of ['keyword', 'vector']) {
        const { body } = await http.post<{ hits: { sectionPath: string[] }[] }>('/v1/search', { query: '提前还款违约金', mode, topK: 3 });
        expect(body.hits.length).toBeGreaterThan(0);
      }
    } finally {
      await service.stop();
    }
  });

  it('reports a failure of its own input clearly', async () => {
    const missing = await runCli('ingest', [join(dataDir, 'no-such-folder')], { RAG_API_KEY: ADMIN_KEY });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('There is no folder at');
    const badTenant = await runCli('reindex', ['--tenant', 'Bad Tenant'], { DATA_DIR: dataDir });
    expect(badTenant.code).toBe(1);
    expect(badTenant.output).toContain('Invalid tenant id');
  });
});
