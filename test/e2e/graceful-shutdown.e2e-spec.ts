import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

const CORPUS = resolve(import.meta.dirname, '../../samples/corpus');
const QUESTIONS = ['金卡年费怎么减免', 'How long is a one-time code valid', '信用卡 年费', 'annual fee waiver'];

/**
 * SIGTERM in the middle of traffic: readiness turns 503 first while requests are still answered,
 * in-flight requests finish, nothing but the documented 503 comes back, the index worker gives back
 * the events it had claimed, and every answered request has its ledger row after a restart.
 */
describe('graceful shutdown under traffic', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-shutdown-'));
  const adminKey = `rag_${randomBytes(32).toString('base64url')}`;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('drains, answers only 200 or 503, releases claimed index events and loses no ledger row', async () => {
    // A long lease: released events must come back at once, not when the lease runs out. The
    // traffic runs as fast as the service answers, which on a quick run passes the default
    // per-key limit; a 429 would say nothing about shutdown.
    const env = { BOOTSTRAP_ADMIN_KEY: adminKey, SHUTDOWN_GRACE_MS: '1500', WORKER_LEASE_MS: '600000', RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '1000000' };
    const service = await startEmbedded(dataDir, env);
    const http = new HttpClient(service.gatewayUrl, service.ingestUrl, adminKey);
    const faq = readFileSync(join(CORPUS, 'credit-card-faq.zh.md'), 'utf8');
    await http.post('/v1/documents', { collection: 'faq', externalId: 'faq.md', title: '信用卡常见问题', content: faq, contentType: 'text/markdown' });

    const statuses: number[] = [];
    const answered: string[] = [];
    let stopTraffic = false;
    let sent = 0;
    const loop = async () => {
      while (!stopTraffic) {
        const query = `${QUESTIONS[sent % QUESTIONS.length]} ${++sent}`;
        try {
          const reply = await http.post<{ requestId: string }>('/v1/search', { query, topK: 3 });
          statuses.push(reply.status);
          if (reply.status === 200) answered.push(reply.body.requestId);
        } catch {
          return; // the server closed: connections are refused from here on
        }
      }
    };
    const traffic = Promise.all([loop(), loop(), loop(), loop()]);
    await new Promise((r) => setTimeout(r, 1_000));

    // Work in the outbox at the moment of shutdown: it must be finished or given back.
    const submitted: string[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await http.post<{ documentId: string }>('/v1/documents', { collection: 'faq', externalId: `note-${i}.md`, title: `Note ${i} 通知`, content: `# Note ${i}\n\nBranch notice ${i}: 网点通知第 ${i} 号。`, contentType: 'text/markdown' });
      submitted.push(reply.body.documentId);
    }
    const stopping = service.stop();
    await new Promise((r) => setTimeout(r, 300));
    const ready = await fetch(`${service.gatewayUrl}/readyz`);
    const answeredWhileDraining = await http.post('/v1/search', { query: '金卡 年费 draining', topK: 3 });
    await stopping;
    stopTraffic = true;
    await traffic;

    expect(ready.status).toBe(503);
    expect(answeredWhileDraining.status).toBe(200);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(answered.length).toBeGreaterThan(10);

    const again = await startEmbedded(dataDir, env);
    try {
      const after = new HttpClient(again.gatewayUrl, again.ingestUrl, adminKey);
      const missing: string[] = [];
      for (const id of answered) if ((await after.get(`/v1/ledger/${id}`)).status !== 200) missing.push(id);
      expect(missing).toEqual([]);
      for (const id of submitted) {
        let status = '';
        for (let i = 0; i < 300 && status !== 'indexed'; i++) {
          status = (await after.get<{ status: string }>(`/v1/documents/${id}`)).body.status;
          if (status !== 'indexed') await new Promise((r) => setTimeout(r, 100));
        }
        expect(status, `document ${id}`).toBe('indexed');
      }
    } finally {
      await again.stop();
    }
  });
});
