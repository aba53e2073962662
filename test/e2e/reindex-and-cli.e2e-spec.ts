import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDocx, buildPdf } from '@rag/testing';
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
    expect(ingest.output).toContain('Ingested 8, updated 0, unchanged 0, failed 0.');
    const again = await runCli('ingest', [CORPUS, '--url', service.ingestUrl, '--collection', 'samples', '--api-key', ADMIN_KEY], {});
    expect(again.output).toContain('Ingested 0, updated 0, unchanged 8, failed 0.');
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

  it('ingests PDF and DOCX files with the rest, in batches and uploads, and names each file that failed and why', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rag-e2e-cli-folder-'));
    const serviceData = mkdtempSync(join(tmpdir(), 'rag-e2e-cli-data-'));
    const service = await startEmbedded(serviceData, withKey);
    try {
      mkdirSync(join(folder, 'cards'));
      writeFileSync(join(folder, 'notice.md'), '# Branch notice\n\nThe Lakeside branch opens at 08:30 for marmotcli customers.');
      writeFileSync(join(folder, 'fees.pdf'), await buildPdf([[{ heading: 'Fees' }, { lines: ['保管箱年租金为人民币三百元，marmotpdf。'] }]]));
      writeFileSync(join(folder, 'cards', 'debit.docx'), await buildDocx([{ heading: 'Debit cards', level: 1 }, { table: [['Card', 'Fee'], ['Classic marmotdocx', '10 yuan']] }]));
      writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.7 not really a PDF');
      // Larger than --batch-bytes, so it goes alone as a multipart upload.
      writeFileSync(join(folder, 'long.txt'), `The marmotlong rule applies. ${'Branch staff check identity documents. '.repeat(3000)}`);
      writeFileSync(join(folder, 'ignored.csv'), 'a,b');
      const args = [folder, '--url', service.ingestUrl, '--collection', 'cli', '--batch-size', '2', '--batch-bytes', '65536'];
      const first = await runCli('ingest', args, { RAG_API_KEY: ADMIN_KEY });
      expect(first.code).toBe(1);
      expect(first.output).toContain('Ingested 4, updated 0, unchanged 0, failed 1.');
      expect(first.output).toMatch(/failed: broken\.pdf: The PDF could not be read: /);

      writeFileSync(join(folder, 'notice.md'), '# Branch notice\n\nThe Lakeside branch opens at 09:00 for marmotcli customers.');
      rmSync(join(folder, 'broken.pdf'));
      const second = await runCli('ingest', args, { RAG_API_KEY: ADMIN_KEY });
      expect(second.code).toBe(0);
      expect(second.output).toContain('Ingested 0, updated 1, unchanged 3, failed 0.');

      const http = new HttpClient(service.gatewayUrl, service.gatewayUrl, ADMIN_KEY);
      for (const [query, expected] of [['marmotpdf', '保管箱年租金为人民币三百元'], ['marmotdocx', 'Card: Classic marmotdocx; Fee: 10 yuan'], ['marmotlong', 'The marmotlong rule applies.']]) {
        let text = '';
        for (let attempt = 0; attempt < 100 && !text.includes(expected as string); attempt++) {
          const { body } = await http.post<{ hits: { text: string }[] }>('/v1/search', { query, collection: 'cli', mode: 'keyword', topK: 1 });
          text = body.hits[0]?.text ?? '';
          if (!text.includes(expected as string)) await new Promise((r) => setTimeout(r, 50));
        }
        expect(text).toContain(expected);
      }
    } finally {
      await service.stop();
      rmSync(folder, { recursive: true, force: true });
      rmSync(serviceData, { recursive: true, force: true });
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
