import type { AnswerCache, Embedder, SectionChooser, SectionOption } from '@rag/core';
import { fakeSqlStore, HANDBOOK_DOCUMENT, LAW_DOCUMENT, TENANT } from '@rag/testing';
import { describe, expect, it } from 'vitest';
import type { NavigationSettings } from './navigation.types';
import { Navigator } from './navigator';
import { DEFAULT_WALK } from './tree.walker';

const scope = { tenantId: TENANT, groups: 'all' as const };
const SETTINGS: NavigationSettings = {
  budget: { maxModelCalls: 4, maxTokens: 4000, maxMs: 5000 },
  maxDocuments: 3,
  walk: DEFAULT_WALK,
  useEmbeddings: false,
  cacheTtlSeconds: 60,
  longDocumentChunks: 40,
  maxCachedTrees: 8,
};
const embedder: Embedder = { modelId: 'none', dimensions: 1, embed: () => Promise.reject(new Error('not used')) };

/** An answer cache in a map, with a generation per tenant as the real ones keep. */
function memoryCache(): AnswerCache {
  let generation = 0;
  const entries = new Map<string, { value: unknown; generation: number }>();
  return {
    lookup: <T>(_t: unknown, key: string) => {
      const entry = entries.get(key);
      return Promise.resolve({ value: entry && entry.generation === generation ? (entry.value as T) : undefined, generation });
    },
    store: (_t: unknown, key: string, value: unknown, at: number) => Promise.resolve(void entries.set(key, { value: structuredClone(value), generation: at })),
    invalidateTenant: () => Promise.resolve(void generation++),
    health: () => Promise.resolve({ ok: true }),
    close: () => Promise.resolve(),
  } as unknown as AnswerCache;
}

/** A chat model that answers from a script, one reply per call, and records what it was shown. */
function scriptedChooser(replies: (options: readonly SectionOption[]) => readonly number[] | null, delayMs = 0): SectionChooser & { shown: SectionOption[][] } {
  const shown: SectionOption[][] = [];
  return {
    shown,
    choose: async (_q, options, _max, signal) => {
      shown.push([...options]);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      signal?.throwIfAborted();
      const picked = replies(options);
      return picked === null ? null : { picked, promptTokens: 100, completionTokens: 4 };
    },
  };
}

/** Picks the parts named 合同 (contracts), as a model reading the headings would for a loan question. */
const pickContracts = (options: readonly SectionOption[]) => options.filter((o) => o.label.includes('合同')).map((o) => o.number);

const seedsFor = (...documentIds: string[]) =>
  documentIds.map((documentId) => ({ chunkId: `${documentId}@1#0`, documentId, version: 1, score: 1, ranks: {}, chunk: {} as never }));

function navigator(overrides: Partial<{ chooser: SectionChooser | null; cache: AnswerCache | null; settings: Partial<NavigationSettings> }> = {}) {
  const sqlStore = fakeSqlStore();
  const nav = new Navigator({ sqlStore, cache: overrides.cache ?? null, chooser: overrides.chooser ?? null, embedder }, { ...SETTINGS, ...overrides.settings });
  return { nav, sqlStore };
}

describe('navigate: walking a document tree', () => {
  it('descends into the Chinese law’s loan chapter for a question on loan interest, and says why at each level', async () => {
    const { nav } = navigator();
    const result = await nav.navigate({ scope, query: '借款合同没有约定利息怎么办？', collection: undefined, topK: 3, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    const [first, second] = result.trace.decisions;
    expect(first).toMatchObject({ documentId: 'doc_law', level: 1, nodeId: '0', scorer: 'lexical', candidates: 3 });
    expect(first!.kept[0]).toMatchObject({ nodeId: '0.1', heading: '第二编 合同', score: 1 });
    expect(first!.kept[0]!.reason).toMatch(/best paragraph 0\.1\.0\.1/);
    expect(second).toMatchObject({ level: 2, nodeId: '0.1' });
    expect(second!.kept.map((k) => k.nodeId)).toEqual(['0.1.0']);
    expect(second!.kept[0]!.reason).toMatch(/heading has .*借款/);
    expect(result.hits[0]!.chunk.nodeId).toBe('0.1.0.1');
    expect(result.hits.every((hit) => hit.chunk.sectionPath.includes('第一章 借款合同'))).toBe(true);
    expect(result.trace).toMatchObject({ start: 'hybrid', modelCalls: 0, stoppedBy: null, collected: ['doc_law@2#0.1.0'] });
  });

  it('finds the English handbook’s early-repayment rule and walks each starting document', async () => {
    const { nav } = navigator();
    const result = await nav.navigate({ scope, query: 'What does early repayment of a mortgage cost?', collection: undefined, topK: 2, request: undefined, seeds: seedsFor(HANDBOOK_DOCUMENT.documentId, LAW_DOCUMENT.documentId) });
    expect(result.hits[0]!.chunk.text).toContain('one month of interest');
    expect(result.trace.documents.map((d) => d.documentId)).toEqual(['doc_handbook', 'doc_law']);
    expect(result.trace.decisions.find((d) => d.documentId === 'doc_handbook' && d.level === 1)!.kept[0]!.heading).toBe('Loans');
  });

  it('stops at a section when nothing below it matches, and ranks that section’s paragraphs', async () => {
    const { nav } = navigator();
    const result = await nav.navigate({ scope, query: 'zzz qqq', collection: undefined, topK: 10, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(result.trace.decisions[0]!.note).toMatch(/No part below matches/);
    expect(result.trace.collected).toEqual(['doc_law@2#0']);
    expect(result.hits).toHaveLength(6);
  });

  it('starts from the documents the request names, and refuses one the caller cannot read, naming the field', async () => {
    const { nav } = navigator();
    const named = await nav.navigate({ scope, query: 'lost card', collection: undefined, topK: 2, request: { documentIds: ['doc_handbook'] }, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(named.trace.start).toBe('request');
    expect(named.trace.documents.map((d) => d.documentId)).toEqual(['doc_handbook']);
    await expect(nav.navigate({ scope, query: 'x', collection: undefined, topK: 2, request: { documentIds: ['doc_secret'] }, seeds: [] })).rejects.toThrow(/navigation\.documentIds: no indexed document "doc_secret"/);
  });
});

describe('navigate: embedding similarity with a real embedder', () => {
  it('adds the similarity of each section heading to the question, and says so in the reason', async () => {
    // A toy embedder: a heading about inheritance points one way, everything else the other.
    const semantic: Embedder = { modelId: 'toy', dimensions: 2, embed: (texts) => Promise.resolve(texts.map((t) => Float32Array.from(/继承|遗产/.test(t) ? [1, 0] : [0, 1]))) };
    const nav = new Navigator({ sqlStore: fakeSqlStore(), cache: null, chooser: null, embedder: semantic }, { ...SETTINGS, useEmbeddings: true });
    const result = await nav.navigate({ scope, query: '遗产', collection: undefined, topK: 2, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    const first = result.trace.decisions[0]!;
    expect(first.scorer).toBe('lexical+embedding');
    expect(first.kept[0]).toMatchObject({ nodeId: '0.2', heading: '第三编 继承' });
    expect(first.kept[0]!.reason).toMatch(/embedding similarity 1/);
  });
});

describe('navigate: the model picks sections when one is configured', () => {
  it('follows the model’s picks, shows it numbered parts, and counts calls and tokens', async () => {
    const chooser = scriptedChooser((options) => [options.findIndex((o) => o.label.includes('继承')) + 1]);
    const { nav } = navigator({ chooser });
    const result = await nav.navigate({ scope, query: '遗产怎么分？', collection: undefined, topK: 2, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(chooser.shown[0]!.map((o) => o.label)).toEqual(['第一编 总则', '第二编 合同', '第三编 继承']);
    expect(result.trace.decisions[0]).toMatchObject({ scorer: 'model' });
    expect(result.trace.decisions[0]!.kept[0]).toMatchObject({ nodeId: '0.2' });
    expect(result.trace.decisions[0]!.kept[0]!.reason).toMatch(/picked by the model/);
    expect(result.trace.modelCalls).toBe(1);
    expect(result.trace.tokens).toBe(104);
    expect(result.hits[0]!.chunk.text).toContain('遗产');
  });

  it('scores lexically, and says so, when the model’s answer names no part', async () => {
    const { nav } = navigator({ chooser: scriptedChooser(() => null) });
    const result = await nav.navigate({ scope, query: '借款利息', collection: undefined, topK: 2, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(result.trace.decisions[0]).toMatchObject({ scorer: 'lexical', note: expect.stringMatching(/named no part/) as unknown });
    expect(result.hits[0]!.chunk.sectionPath).toContain('第一章 借款合同');
  });

  it('stops when the model-call budget runs out and answers from the sections chosen so far', async () => {
    const { nav } = navigator({ chooser: scriptedChooser(pickContracts) });
    const result = await nav.navigate({ scope, query: '借款合同的利息', collection: undefined, topK: 5, request: { maxModelCalls: 1 }, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(result.trace.stoppedBy).toBe('maxModelCalls');
    expect(result.trace.modelCalls).toBe(1);
    expect(result.trace.budget.maxModelCalls).toBe(1);
    // The contract book was chosen; choosing between its two chapters needed a second call.
    expect(result.trace.collected).toEqual(['doc_law@2#0.1']);
    expect(result.hits.map((hit) => hit.chunk.nodeId).sort()).toEqual(['0.1.0.0', '0.1.0.1', '0.1.1.0']);
    expect(result.hits[0]!.chunk.nodeId).toBe('0.1.0.1');
  });

  it('stops when the time budget runs out, even in the middle of a slow model call', async () => {
    const { nav } = navigator({ chooser: scriptedChooser((options) => [1, options.length], 200) });
    const result = await nav.navigate({ scope, query: '借款', collection: undefined, topK: 6, request: { maxMs: 50 }, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(result.trace.stoppedBy).toBe('maxMs');
    expect(result.trace.decisions[0]!.note).toMatch(/could not be asked/);
    expect(result.hits.length).toBeGreaterThan(0);
  });

  it('walks lexically when the request allows no model calls', async () => {
    const chooser = scriptedChooser(() => [1]);
    const { nav } = navigator({ chooser });
    const result = await nav.navigate({ scope, query: '借款利息', collection: undefined, topK: 2, request: { maxModelCalls: 0 }, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(chooser.shown).toHaveLength(0);
    expect(result.trace).toMatchObject({ modelCalls: 0, stoppedBy: null });
    expect(result.trace.decisions[0]!.scorer).toBe('lexical');
  });

  it('never lets a request raise the configured budget', async () => {
    const { nav } = navigator();
    const result = await nav.navigate({ scope, query: '借款', collection: undefined, topK: 2, request: { maxModelCalls: 50, maxMs: 999_999 }, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(result.trace.budget).toEqual({ maxModelCalls: 4, maxTokens: 4000, maxMs: 5000 });
  });
});

describe('navigate: caching walks per document version and question', () => {
  it('serves a finished walk from the cache until the tenant’s corpus changes', async () => {
    const cache = memoryCache();
    const chooser = scriptedChooser(() => [2]);
    const { nav } = navigator({ cache, chooser });
    const input = { scope, query: '借款合同的利息', collection: undefined, topK: 2, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) };
    const first = await nav.navigate(input);
    const second = await nav.navigate(input);
    expect(first.trace.documents[0]!.cached).toBe(false);
    expect(second.trace.documents[0]!.cached).toBe(true);
    expect(second.hits.map((h) => h.chunkId)).toEqual(first.hits.map((h) => h.chunkId));
    expect(second.trace.modelCalls).toBe(0);
    await cache.invalidateTenant(TENANT);
    expect((await nav.navigate(input)).trace.documents[0]!.cached).toBe(false);
  });

  it('does not cache a walk a budget cut short', async () => {
    const cache = memoryCache();
    const { nav } = navigator({ cache, chooser: scriptedChooser(pickContracts) });
    const input = { scope, query: '借款合同', collection: undefined, topK: 2, request: { maxModelCalls: 1 }, seeds: seedsFor(LAW_DOCUMENT.documentId) };
    await nav.navigate(input);
    expect((await nav.navigate(input)).trace.documents[0]!.cached).toBe(false);
  });

  it('loads a version’s tree from SQL once', async () => {
    const { nav, sqlStore } = navigator();
    for (const query of ['借款', '租赁', '继承']) await nav.navigate({ scope, query, collection: undefined, topK: 2, request: undefined, seeds: seedsFor(LAW_DOCUMENT.documentId) });
    expect(sqlStore.treeLoads).toBe(1);
  });
});
