import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnswerCache,
  type Chunk,
  type ChatSession,
  type Embedder,
  type GenerationRequest,
  type Generator,
  type KeywordIndex,
  type LedgerEntry,
  type Principal,
  type SqlStore,
  StoreError,
  type StoreHit,
  toTenantId,
  type VectorIndex,
} from '@rag/core';
import { ExtractiveGenerator } from '@rag/generator';
import { RetrievalService } from '@rag/retrieval';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from './conversation/conversation.store';
import { LedgerRecorder } from './ledger.recorder';
import { LedgerSpool } from './ledger.spool';
import { PrivacyFilter } from './privacy.filter';
import { QueryService } from './query.service';
import type { ChatEvent } from './query.types';
import { AnswerComposer } from './verification/answer.composer';

const tenantId = toTenantId('bank');
const principal: Principal = { tenantId, subject: 'teller-1', groups: [], scopes: ['query'] };

function chunk(nodeId: string, text: string): Chunk {
  return { id: `doc_fees@1#${nodeId}`, tenantId, collection: 'faq', documentId: 'doc_fees', version: 1, nodeId, ordinal: 0, title: '信用卡常见问题', sectionPath: ['信用卡常见问题', '年费'], text, contentHash: nodeId, aclGroups: ['*'] };
}

const CHUNKS = [chunk('0.1', '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。'), chunk('0.2', 'The gold card annual fee is CNY 300 and is waived after six purchases a year.')];
const hitsOf = (chunks: readonly Chunk[]): StoreHit[] => chunks.map((c, i) => ({ chunkId: c.id, documentId: c.documentId, version: c.version, score: 10 - i }));
const outage = (store: string) => new StoreError(store, 'STORE_UNAVAILABLE', `connect ECONNREFUSED (${store})`);

/** The world around the query service, every dependency a fake that can be switched off. */
async function world() {
  const down = { vector: false, keyword: false, embedder: false, sql: false, cache: false, generator: false };
  const ledgerRows = new Map<string, LedgerEntry>();
  const sessions: ChatSession[] = [];
  const cacheEntries = new Map<string, unknown>();
  const check = (name: keyof typeof down) => {
    if (down[name]) throw outage(name);
  };

  const keywordIndex = { search: async () => (check('keyword'), hitsOf([CHUNKS[0]!, CHUNKS[1]!])) } as unknown as KeywordIndex;
  const vectorIndex = { search: async () => (check('vector'), hitsOf([CHUNKS[1]!])) } as unknown as VectorIndex;
  const embedder: Embedder = { modelId: 'fake', dimensions: 2, embed: async (texts) => (check('embedder'), texts.map(() => new Float32Array([1, 0]))) };
  const sqlStore = {
    readableActiveChunks: async (_scope: unknown, ids: readonly string[]) => (check('sql'), CHUNKS.filter((c) => ids.includes(c.id))),
    appendLedger: async (entries: readonly LedgerEntry[]) => {
      check('sql');
      for (const e of entries) if (!ledgerRows.has(e.requestId)) ledgerRows.set(e.requestId, e);
    },
    findLedgerEntry: async (_t: string, id: string) => (check('sql'), ledgerRows.get(id) ?? null),
    createSession: async () => {
      check('sql');
      const session = { id: `s${sessions.length + 1}`, tenantId, subject: principal.subject, createdAt: 0 } as unknown as ChatSession;
      sessions.push(session);
      return session;
    },
    appendMessages: async () => check('sql'),
  } as unknown as SqlStore;
  const cache = {
    lookup: async (_t: string, key: string) => (check('cache'), { value: cacheEntries.get(key), generation: 1 }),
    store: async (_t: string, key: string, value: unknown) => (check('cache'), void cacheEntries.set(key, value)),
  } as unknown as AnswerCache;
  const model: Generator = {
    name: 'openai',
    async *generate(request: GenerationRequest) {
      check('generator');
      yield `${request.contexts[0]?.chunk.text ?? ''} [1]`;
    },
  };

  const privacy = new PrivacyFilter({ policy: 'keep', hashSecret: undefined, inAnswers: 'keep' });
  const spool = await LedgerSpool.open(join(await mkdtemp(join(tmpdir(), 'degraded-')), 'ledger-spool.jsonl'));
  const ledger = new LedgerRecorder(sqlStore, { flushIntervalMs: 1, maxBatch: 50, spool, replayIntervalMs: 5 }, () => undefined);
  const retrieval = new RetrievalService({ vectorIndex, keywordIndex, embedder, sqlStore }, { deadlineMs: 500, storeTimeoutMs: 300, rrfK: 60, fusionMethod: 'rrf', fusionWeights: { keyword: 1, vector: 1 } });
  const composer = new AnswerComposer(model, new ExtractiveGenerator({ maxSentences: 3 }), 0.5);
  const service = new QueryService(
    { cache, retrieval, composer, ledger, sqlStore, privacy, rewriter: null, conversations: new ConversationStore(sqlStore, 3, privacy) },
    { cacheTtlSeconds: 60, maxContexts: 4, requestDeadlineMs: 5_000 },
  );
  let n = 0;
  const search = (query = '金卡 年费') => service.search(principal, { query, mode: 'hybrid', collection: undefined, topK: 4 }, `req-${++n}`);
  const chat = async (query = 'gold card annual fee') => {
    const events: ChatEvent[] = [];
    const response = await service.chat(principal, { query, mode: 'hybrid', collection: undefined, topK: 4, sessionId: undefined }, `req-${++n}`, (e) => events.push(e));
    return { response, events };
  };
  return { down, search, chat, ledger, ledgerRows, spool, sent: () => n };
}

describe('degraded answers, one dependency down at a time', () => {
  it('answers in full and caches when everything is up', async () => {
    const w = await world();
    const first = await w.search();
    expect(first.degraded).toEqual([]);
    expect(first.hits.map((h) => h.chunkId)).toHaveLength(2);
    expect((await w.search()).trace.cache).toBe('hit');
  });

  it('vector index down: keyword results only, flagged, never cached', async () => {
    const w = await world();
    w.down.vector = true;
    const response = await w.search();
    expect(response.degraded).toEqual(['vector']);
    expect(response.hits.map((h) => h.ranks)).toEqual([{ keyword: 1 }, { keyword: 2 }]);
    expect((await w.search()).trace.cache).toBe('miss');
  });

  it('keyword index down: vector results only, flagged', async () => {
    const w = await world();
    w.down.keyword = true;
    const response = await w.search();
    expect(response.degraded).toEqual(['keyword']);
    expect(response.hits.map((h) => h.ranks)).toEqual([{ vector: 1 }]);
  });

  it('embedding server down: keyword results only, blamed on the embedder', async () => {
    const w = await world();
    w.down.embedder = true;
    const response = await w.search();
    expect(response.degraded).toEqual(['embedder']);
    expect(response.hits).toHaveLength(2);
    expect(response.trace.stores.find((s) => s.store === 'vector')?.ok).toBe(false);
  });

  it('cache down: the same full answer, no cache, flagged', async () => {
    const w = await world();
    w.down.cache = true;
    const response = await w.search();
    expect(response.degraded).toEqual(['cache']);
    expect(response.hits).toHaveLength(2);
    expect(response.trace.cache).toBe('bypass');
  });

  it('model server down: the extractive answer, flagged in the JSON and in the event stream', async () => {
    const w = await world();
    w.down.generator = true;
    const { response, events } = await w.chat();
    expect(response.degraded).toEqual(['generator']);
    expect(response.generator).toBe('extractive');
    expect(response.answer).toContain('CNY 300');
    expect(response.citations.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'degraded')).toEqual([{ type: 'degraded', stores: ['generator'] }]);
    expect(events.at(-1)).toMatchObject({ type: 'done', response: { degraded: ['generator'] } });
  });

  it('SQL down: answers from the chunk copy, no session, ledger rows spooled and replayed once each when SQL returns', async () => {
    const w = await world();
    await w.search(); // reads the chunks from SQL once, so the process holds a copy
    w.down.sql = true;
    const search = await w.search('gold card fee');
    expect(search.degraded).toEqual(['sql']);
    expect(search.hits.map((h) => h.text).sort()).toEqual([CHUNKS[1]!.text, CHUNKS[0]!.text].sort());
    const { response, events } = await w.chat('金卡年费怎么免');
    expect(response.sessionId).toBeNull();
    expect(response.degraded).toContain('sql');
    expect(events.some((e) => e.type === 'degraded')).toBe(true);
    await w.ledger.flush();
    expect(w.spool.size).toBeGreaterThan(0);

    w.down.sql = false;
    await w.ledger.flush();
    expect(w.spool.size).toBe(0);
    expect([...w.ledgerRows.keys()]).toEqual(Array.from({ length: w.sent() }, (_, i) => `req-${i + 1}`));
    expect((await w.search('after')).degraded).toEqual([]);
  });
});
