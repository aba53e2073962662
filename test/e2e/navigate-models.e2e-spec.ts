import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testModelUrls } from '@rag/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Deployment } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';
import { chineseRulebook } from '../support/long-documents.ts';

/** The model servers are required here; `E2E_WITHOUT_MODELS=1` leaves this file out (test/e2e/vitest.config.mts). */
const models = testModelUrls() ?? missingModels();

function missingModels(): never {
  throw new Error('This suite needs the model servers (scripts/models/start-model-servers.sh); run with E2E_WITHOUT_MODELS=1 to leave it out.');
}

interface SearchBody {
  hits: { documentId: string; sectionPath: string[] }[];
  notice?: string;
  trace: {
    navigation: {
      decisions: { scorer: string; note?: string; kept: { reason: string }[] }[];
      modelCalls: number;
      tokens: number;
      stoppedBy: string | null;
    };
  };
}

/**
 * Navigation with the real chat server: Gemma 3 270M picks sections (badly; the test holds the
 * protocol, the accounting and the budget, not its judgement). One model call in all.
 */
describe('navigate with the real chat server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-navigate-models-'));
  const adminKey = `rag_${randomBytes(32).toString('base64url')}`;
  let service: Deployment;
  let http: HttpClient;
  let documentId: string;

  beforeAll(async () => {
    service = await startEmbedded(dataDir, {
      BOOTSTRAP_ADMIN_KEY: adminKey,
      // The chat model is what is under test; the lexical embedder keeps the suite off the
      // embedding server, whose own suites cover it (heading embeddings: navigator.spec.ts).
      GENERATOR_ADAPTER: 'openai',
      CHAT_URL: models.chat.url,
      CHAT_MODEL: models.chat.model,
      CHAT_TIMEOUT_MS: '60000',
      // The walk's time budget must outlast a call to a small model on a busy machine.
      NAVIGATE_MAX_MS: '120000',
    });
    http = new HttpClient(service.gatewayUrl, service.ingestUrl, adminKey);
    const { body } = await http.post<{ documentId: string }>('/v1/documents', { externalId: 'rulebook.md', title: '蓝汀银行个人信贷业务管理办法', content: chineseRulebook(), contentType: 'text/markdown' });
    documentId = body.documentId;
    // Embedding on a busy two-core machine can take minutes; a document that never gets indexed fails here, by name.
    let document = { status: '', versions: [] as { failureReason: string | null }[] };
    for (let i = 0; i < 2400 && document.status !== 'indexed' && document.status !== 'failed'; i++) {
      document = (await http.get<typeof document>(`/v1/documents/${documentId}`)).body;
      if (document.status !== 'indexed') await new Promise((r) => setTimeout(r, 100));
    }
    if (document.status !== 'indexed') throw new Error(`The rulebook was not indexed (status ${document.status}: ${document.versions.at(-1)?.failureReason ?? 'no reason'}).`);
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks the model to pick among the chapters, counts the call and its tokens, and stops when the call budget is spent', async () => {
    const { status, body } = await http.post<SearchBody>('/v1/search', { query: '提前还住房贷款要付多少违约金？', mode: 'navigate', topK: 5, navigation: { maxModelCalls: 1 } });
    expect(status).toBe(200);
    const { navigation } = body.trace;
    expect(navigation.modelCalls).toBe(1);
    const first = navigation.decisions[0]!;
    // Either the model named parts (and the reasons say so) or its answer could not be read (and the note says so).
    if (first.scorer === 'model') {
      expect(navigation.tokens).toBeGreaterThan(0);
      expect(first.kept.some((kept) => kept.reason.includes('picked by the model'))).toBe(true);
    } else {
      expect(first.note).toMatch(/model/);
    }
    expect(navigation.stoppedBy).toBe('maxModelCalls');
    expect(body.notice).toMatch(/model-call budget \(maxModelCalls 1\) ran out/);
    expect(body.hits.length).toBeGreaterThan(0);
  }, 180_000);

  it('walks lexically, never asking the model, when the request allows no model call', async () => {
    const { status, body } = await http.post<SearchBody>('/v1/search', { query: '提前还住房贷款要付多少违约金？', mode: 'navigate', topK: 3, navigation: { maxModelCalls: 0 } });
    expect(status).toBe(200);
    expect(body.trace.navigation).toMatchObject({ modelCalls: 0, stoppedBy: null });
    expect(body.trace.navigation.decisions[0]!.scorer).toBe('lexical');
    expect(body.hits.map((hit) => hit.sectionPath.at(-1))).toContain('第二节 提前还款');
  });
});
