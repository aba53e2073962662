import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment, type ProfileName } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

interface Hit {
  chunkId: string;
  documentId: string;
  version: number;
  title: string;
  sectionPath: string[];
  text: string;
  score: number;
  ranks: Record<string, number>;
}
interface Citation {
  marker: number;
  chunkId: string;
  documentId: string;
  sectionPath: string[];
  quote: string;
}
interface ChatBody {
  requestId: string;
  answer: string;
  citations: Citation[];
  degraded: string[];
  trace: { cache: string; stages: { stage: string; ms: number }[]; stores: { store: string; ok: boolean }[] };
}
interface SearchBody {
  requestId: string;
  hits: Hit[];
  degraded: string[];
  trace: { cache: string };
}

const CORPUS = resolve(import.meta.dirname, '../../samples/corpus');

/** The suite runs once per profile; the full one needs the real test servers. */
const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

describe.each(PROFILES)('profile %s', (profile) => {
  let service: Deployment;
  let http: HttpClient;
  const corpusIds = new Map<string, string>();

  async function submit(document: Record<string, unknown>): Promise<{ documentId: string; version: number; status: string; failureReason: string | null }> {
    const { status, body } = await http.post<{ documentId: string; version: number; status: string; failureReason: string | null }>('/v1/documents', document);
    expect(status).toBe(202);
    return body;
  }

  async function waitForStatus(documentId: string, wanted: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { body } = await http.get(`/v1/documents/${documentId}`);
      if (body.status === wanted) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Document ${documentId} never reached status ${wanted}`);
  }

  async function search(query: string, extra: Record<string, unknown> = {}): Promise<SearchBody> {
    const { status, body } = await http.post<SearchBody>('/v1/search', { query, ...extra });
    expect(status).toBe(200);
    return body;
  }

  async function expectCitationsHold(citations: readonly Citation[]): Promise<void> {
    for (const citation of citations) {
      const { status, body } = await http.get<Hit>(`/v1/chunks/${encodeURIComponent(citation.chunkId)}`);
      expect(status).toBe(200);
      expect(body.text).toContain(citation.quote);
    }
  }

  beforeAll(async () => {
    service = await startDeployment(profile);
    http = new HttpClient(service.gatewayUrl, service.ingestUrl, service.adminKey);
    for (const file of readdirSync(CORPUS).filter((name) => name.endsWith('.md') && name !== 'README.md')) {
      const content = readFileSync(join(CORPUS, file), 'utf8');
      const title = /^#\s+(.+)$/m.exec(content)?.[1] ?? file;
      const { documentId } = await submit({ collection: 'samples', externalId: file, title, content, contentType: 'text/markdown' });
      corpusIds.set(file, documentId);
    }
    for (const documentId of corpusIds.values()) await waitForStatus(documentId, 'indexed');
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('operations endpoints', () => {
    it('reports liveness, readiness of every store, metrics and the OpenAPI document', async () => {
      expect((await http.get('/healthz')).body).toEqual({ status: 'ok' });
      const ready = await http.get<{ status: string; stores: Record<string, { ok: boolean }> }>('/readyz');
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.stores).sort()).toEqual(['cache', 'keywordIndex', 'sql', 'vectorIndex']);
      expect((await http.get<string>('/metrics')).body).toContain('rag_http_request_duration_seconds');
      // The gateway and the ingest service each describe their own API (one process when embedded).
      const paths = new Set<string>();
      for (const url of new Set([service.gatewayUrl, service.ingestUrl])) {
        const docs = (await (await fetch(`${url}/docs`)).json()) as { openapi: string; paths: Record<string, unknown> };
        expect(docs.openapi).toBe('3.1.0');
        for (const path of Object.keys(docs.paths)) paths.add(path);
      }
      expect([...paths]).toEqual(expect.arrayContaining(['/v1/search', '/v1/chat', '/v1/documents', '/v1/documents/{id}']));
    });
  });

  describe('search', () => {
    it('finds the right section for a Chinese question, with both stores ranking it', async () => {
      const { hits, degraded } = await search('信用卡丢了，24 小时挂失热线是多少？', { topK: 3 });
      expect(degraded).toEqual([]);
      expect(hits[0]?.sectionPath).toContain('如何挂失');
      expect(hits[0]?.text).toContain('400-820-6688');
      expect(Object.keys(hits[0]?.ranks ?? {}).sort()).toEqual(['keyword', 'vector']);
    });

    it('finds the right section for an English question in every mode', async () => {
      for (const mode of ['hybrid', 'keyword', 'vector']) {
        const { hits } = await search('How many devices can be bound to one online banking account?', { mode, topK: 5 });
        expect(hits.map((hit) => hit.sectionPath.at(-1))).toContain('Binding a New Device');
      }
    });

    it('finds codes exactly as typed', async () => {
      const product = await search('PPR-9087', { mode: 'keyword', topK: 3 });
      expect(product.hits[0]?.text).toContain('PPR-9087');
      const card = await search('6222 0200 1234', { mode: 'keyword', topK: 3 });
      expect(card.hits[0]?.text).toContain('6222 0200 1234');
    });

    it('answers a repeated query from the cache', async () => {
      const first = await search('What is the SWIFT code of Lanting Bank?');
      const second = await search('  What is the SWIFT code of Lanting Bank?  ');
      expect(first.trace.cache).toBe('miss');
      expect(second.trace.cache).toBe('hit');
      expect(second.hits.map((hit) => hit.chunkId)).toEqual(first.hits.map((hit) => hit.chunkId));
    });
  });

  describe('chat', () => {
    it('answers a Chinese question citing the right section, and every quote is in its chunk', async () => {
      const { status, body } = await http.post<ChatBody>('/v1/chat', { query: '金卡一年内刷卡满几次可以免次年年费？' });
      expect(status).toBe(200);
      expect(body.answer).toContain('6 次');
      expect(body.citations.length).toBeGreaterThan(0);
      expect(body.citations.some((c) => c.sectionPath.includes('刷卡免年费规则') && c.quote.includes('金卡'))).toBe(true);
      expect(body.degraded).toEqual([]);
      await expectCitationsHold(body.citations);
    });

    it('answers an English question with citations that hold', async () => {
      const { body } = await http.post<ChatBody>('/v1/chat', { query: 'How long is a text message one-time code valid?' });
      expect(body.answer).toContain('5 minutes');
      expect(body.citations[0]?.sectionPath.at(-1)).toBe('Text Message Codes');
      await expectCitationsHold(body.citations);
    });

    it('keeps a ledger row of the request with its trace', async () => {
      const { body } = await http.post<ChatBody>('/v1/chat', { query: 'What fee applies if I close the account within 90 days of opening it?' });
      const ledger = await http.get<{ requestId: string; kind: string; answer: string; citations: unknown[]; trace: { stages: unknown[] } }>(`/v1/ledger/${body.requestId}`);
      expect(ledger.status).toBe(200);
      expect(ledger.body).toMatchObject({ requestId: body.requestId, kind: 'chat', answer: body.answer });
      expect(ledger.body.citations).toHaveLength(body.citations.length);
      expect(ledger.body.trace.stages.length).toBeGreaterThan(0);
    });

    it('streams typed Server-Sent Events that end with the full response', async () => {
      const { status, contentType, events } = await http.stream('/v1/chat', { query: '银行受理投诉后多少个工作日内答复？', stream: true });
      expect(status).toBe(200);
      expect(contentType).toContain('text/event-stream');
      const types = events.map((e) => e.event);
      expect(types[0]).toBe('retrieval');
      expect(types).toContain('token');
      expect(types).toContain('citation');
      expect(types.at(-1)).toBe('done');
      const streamed = events.filter((e) => e.event === 'token').map((e) => e.data.text).join('');
      const done = events.at(-1)?.data.response as ChatBody;
      expect(done.answer).toBe(streamed);
      expect(done.answer).toContain('15 个工作日');
      await expectCitationsHold(done.citations);
    });

    it('says so honestly when the documents do not answer', async () => {
      const { body } = await http.post<ChatBody>('/v1/chat', { query: 'zzqx wvvy' });
      expect(body.citations).toEqual([]);
      expect(body.answer).toMatch(/do not answer/);
    });
  });

  describe('answers a compliance officer can check', () => {
    it('returns the verification of every sentence with the answer', async () => {
      const { body } = await http.post<ChatBody & { verification: { passed: boolean; sentences: { verdict: string; support: number }[] } }>('/v1/chat', { query: '放款后第二年提前还款要交多少违约金？' });
      expect(body.verification.passed).toBe(true);
      expect(body.verification.sentences.length).toBeGreaterThan(0);
      expect(body.verification.sentences.every((s) => s.verdict === 'supported' && s.support >= 0.5)).toBe(true);
    });

    it('understands a follow-up in the same session, and records both the question and its rewrite', async () => {
      const first = await http.post<ChatBody & { sessionId: string }>('/v1/chat', { query: '金卡一年内刷卡满几次可以免次年年费？' });
      const followUp = await http.post<ChatBody & { sessionId: string; trace: { rewrite: { original: string; rewritten: string; method: string } } }>('/v1/chat', { query: '那普卡呢？', sessionId: first.body.sessionId });
      expect(followUp.status).toBe(200);
      expect(followUp.body.sessionId).toBe(first.body.sessionId);
      expect(followUp.body.trace.rewrite).toMatchObject({ original: '那普卡呢？', method: 'rule' });
      expect(followUp.body.trace.rewrite.rewritten).toContain('金卡一年内刷卡满几次');
      expect(followUp.body.answer).toContain('普卡');
      const ledger = await http.get<{ query: string; rewrittenQuery: string; sessionId: string }>(`/v1/ledger/${followUp.body.requestId}`);
      expect(ledger.body).toMatchObject({ query: '那普卡呢？', sessionId: first.body.sessionId });
      expect(ledger.body.rewrittenQuery).toContain('金卡');
      const unknown = await http.post('/v1/chat', { query: '那普卡呢？', sessionId: 'ses_000000000000000000000000' });
      expect(unknown.status).toBe(404);
    });

    it('replays a past answer from the same chunks', async () => {
      const { body } = await http.post<ChatBody>('/v1/chat', { query: 'What is the cut-off time for a EUR transfer?' });
      const replay = await http.post<{ replayOf: string; sameAnswer: boolean; answer: string; requestId: string }>(`/v1/ledger/${body.requestId}/replay`, {});
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ replayOf: body.requestId, sameAnswer: true, answer: body.answer });
      expect(replay.body.requestId).not.toBe(body.requestId);
      expect((await http.post(`/v1/ledger/unknown-request/replay`, {})).status).toBe(404);
    });

    it('speaks the OpenAI chat completions API, with citations alongside', async () => {
      const messages = [
        { role: 'system', content: 'You are a helpful bank assistant.' },
        { role: 'user', content: 'How long is a text message one-time code valid?' },
      ];
      const { status, body } = await http.post<{ object: string; choices: { message: { role: string; content: string } }[]; citations: Citation[] }>('/v1/chat/completions', { model: 'any', messages, temperature: 0.2 });
      expect(status).toBe(200);
      expect(body.object).toBe('chat.completion');
      expect(body.choices[0]?.message.content).toContain('5 minutes');
      expect(body.citations.length).toBeGreaterThan(0);

      const response = await fetch(`${service.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${service.adminKey}` }, body: JSON.stringify({ messages, stream: true }) });
      const events = (await response.text()).split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[]; citations?: Citation[] });
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toContain('5 minutes');
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(chunks.at(-1)?.citations?.length).toBeGreaterThan(0);

      const bad = await http.post<{ error: { details: { field: string } } }>('/v1/chat/completions', { messages: [{ role: 'assistant', content: 'hi' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('messages');
    });
  });

  describe('document lifecycle', () => {
    it('replaces the old version in results when a document is updated, and removes it on delete', async () => {
      const base = { collection: 'lifecycle', externalId: 'notice-1', title: 'Branch notice', contentType: 'text/plain' };
      const v1 = await submit({ ...base, content: 'The Harbour Road branch opens at 09:00 for zebraquartz appointments.' });
      await waitForStatus(v1.documentId, 'indexed');
      expect((await search('zebraquartz', { collection: 'lifecycle' })).hits).toHaveLength(1);

      const v2 = await submit({ ...base, content: 'The Harbour Road branch opens at 10:00 for yakmarble appointments.' });
      expect(v2).toMatchObject({ documentId: v1.documentId, version: 2 });
      await waitForStatus(v1.documentId, 'indexed');
      const old = await search('zebraquartz', { collection: 'lifecycle' });
      expect(old.hits.filter((hit) => hit.version === 1 || hit.text.includes('zebraquartz'))).toEqual([]);
      const updated = await search('yakmarble', { collection: 'lifecycle' });
      expect(updated.hits.map((hit) => hit.version)).toEqual([2]);

      const again = await submit({ ...base, content: 'The Harbour Road branch opens at 10:00 for yakmarble appointments.' });
      expect(again).toMatchObject({ version: 2 });

      const removed = await http.delete(`/v1/documents/${v1.documentId}`);
      expect(removed.status).toBe(202);
      expect((await search('yakmarble', { collection: 'lifecycle' })).hits).toEqual([]);
      const status = await waitForStatus(v1.documentId, 'deleted');
      expect(status.activeVersion).toBeNull();
    });

    it('marks content that cannot be parsed as failed with its reason, and loses nothing else', async () => {
      const bad = await submit({ externalId: 'junk.bin', title: 'Junk', content: 'PK\u0003\u0004\u0000\u0000binary', contentType: 'text/plain' });
      expect(bad.status).toBe('failed');
      expect(bad.failureReason).toMatch(/binary/);
      const status = await http.get<{ status: string; versions: { failureReason: string }[] }>(`/v1/documents/${bad.documentId}`);
      expect(status.body.status).toBe('failed');
      expect(status.body.versions[0]?.failureReason).toMatch(/binary/);
      expect((await search('信用卡挂失热线')).hits.length).toBeGreaterThan(0);
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field for invalid bodies', async () => {
      const unknown = await http.post<{ error: { code: string; details: { field: string } } }>('/v1/search', { query: 'x', colour: 'red' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.field).toBe('colour');
      const wrongType = await http.post<{ error: { details: { field: string } } }>('/v1/search', { query: 42 });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.details.field).toBe('query');
      const badMode = await http.post<{ error: { details: { field: string } } }>('/v1/chat', { query: 'x', mode: 'psychic' });
      expect(badMode.body.error.details.field).toBe('mode');
      const missing = await http.post<{ error: { details: { field: string } } }>('/v1/documents', { title: 'No id', content: 'text' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.field).toBe('externalId');
      const tooMany = await http.post<{ error: { details: { field: string } } }>('/v1/search', { query: 'x', topK: 100000 });
      expect(tooMany.body.error.details.field).toBe('topK');
    });

    it('answers 400 for malformed JSON and 404 for unknown routes and documents', async () => {
      expect((await http.post('/v1/search', '{"query": ')).status).toBe(400);
      expect((await http.get('/v1/nothing-here')).status).toBe(404);
      expect((await http.get('/v1/documents/doc_missing')).status).toBe(404);
      expect((await http.get('/v1/ledger/unknown-request')).status).toBe(404);
      expect((await http.get('/healthz')).status).toBe(200);
    });
  });
});
