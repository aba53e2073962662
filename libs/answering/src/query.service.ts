import {
  accessScopeOf,
  type AnswerCache,
  type Citation,
  type ContextBlock,
  type Generator,
  type Principal,
  type StageTiming,
  type TenantId,
  type Trace,
} from '@rag/core';
import { cacheKeyOf, type RetrievalResult, type RetrievalService } from '@rag/retrieval';
import { normalizeText } from '@rag/text-analysis';
import { buildCitations } from './citation.builder';
import type { LedgerRecorder } from './ledger.recorder';
import type { ChatEvent, ChatResponse, HitView, SearchInput, SearchResponse } from './query.types';

export interface QuerySettings {
  readonly cacheTtlSeconds: number;
  /** How many retrieved chunks the generator sees as numbered context blocks. */
  readonly maxContexts: number;
}

export interface QueryPorts {
  readonly cache: AnswerCache;
  readonly generator: Generator;
  readonly retrieval: RetrievalService;
  readonly ledger: LedgerRecorder;
}

type CachedSearch = Pick<SearchResponse, 'hits'>;
type CachedChat = Pick<ChatResponse, 'answer' | 'citations' | 'generator'>;

/**
 * The gateway's use cases: search and chat. Both go cache first, then retrieval; chat then
 * generates and cites. Every request leaves one ledger row; degraded results are never cached.
 */
export class QueryService {
  constructor(
    private readonly ports: QueryPorts,
    private readonly settings: QuerySettings,
  ) {}

  async search(principal: Principal, input: SearchInput, requestId: string): Promise<SearchResponse> {
    const clock = new StageClock();
    const { scope, key, normalizedQuery } = this.requestKey(principal, 'search', input);
    const cached = await this.lookup<CachedSearch>(scope.tenantId, key);
    clock.lap('cache');
    if (cached.value) {
      const trace = cacheHitTrace(normalizedQuery, clock.stages());
      return this.finish(principal, input, { requestId, hits: cached.value.hits, degraded: [], trace }, null, [], true, clock);
    }
    const retrieval = await this.ports.retrieval.retrieve({ scope, query: normalizedQuery, mode: input.mode, collection: input.collection, topK: input.topK });
    clock.absorb(retrieval.stages);
    const hits = retrieval.hits.map(toHitView);
    if (retrieval.degraded.length === 0) await this.remember(scope.tenantId, key, { hits }, cached.generation);
    const trace = missTrace(normalizedQuery, retrieval, clock.stages(), cached.generation);
    return this.finish(principal, input, { requestId, hits, degraded: retrieval.degraded, trace }, null, [], false, clock);
  }

  async chat(principal: Principal, input: SearchInput, requestId: string, emit: (event: ChatEvent) => void = () => undefined, signal?: AbortSignal): Promise<ChatResponse> {
    const clock = new StageClock();
    const { scope, key, normalizedQuery } = this.requestKey(principal, 'chat', input);
    const cached = await this.lookup<CachedChat>(scope.tenantId, key);
    clock.lap('cache');
    if (cached.value) {
      const response: ChatResponse = { requestId, ...cached.value, degraded: [], trace: cacheHitTrace(normalizedQuery, clock.stages()) };
      emitAnswer(emit, response);
      return this.finishChat(principal, input, response, [], true, clock);
    }

    const retrieval = await this.ports.retrieval.retrieve({ scope, query: normalizedQuery, mode: input.mode, collection: input.collection, topK: input.topK });
    clock.absorb(retrieval.stages);
    emit({ type: 'retrieval', hits: retrieval.hits.map(toHitView) });
    if (retrieval.degraded.length > 0) emit({ type: 'degraded', stores: retrieval.degraded });

    const contexts: ContextBlock[] = retrieval.hits.slice(0, this.settings.maxContexts).map((hit, i) => ({ marker: i + 1, chunk: hit.chunk }));
    let answer = '';
    for await (const piece of this.ports.generator.generate({ question: input.query, contexts, signal })) {
      answer += piece;
      emit({ type: 'token', text: piece });
    }
    clock.lap('generate');
    const { citations } = buildCitations(answer, contexts);
    for (const citation of citations) emit({ type: 'citation', citation });

    const cacheable: CachedChat = { answer, citations, generator: this.ports.generator.name };
    if (retrieval.degraded.length === 0) await this.remember(scope.tenantId, key, cacheable, cached.generation);
    const response: ChatResponse = { requestId, ...cacheable, degraded: retrieval.degraded, trace: missTrace(normalizedQuery, retrieval, clock.stages(), cached.generation) };
    emit({ type: 'done', response });
    return this.finishChat(principal, input, response, retrieval.hits.map(toHitView), false, clock);
  }

  /** One chunk of an active version, if the caller may read it: how a client checks a citation. */
  async chunk(principal: Principal, chunkId: string): Promise<HitView | null> {
    const [chunk] = await this.ports.retrieval.readableChunks(accessScopeOf(principal), [chunkId]);
    return chunk ? toHitView({ chunkId: chunk.id, documentId: chunk.documentId, version: chunk.version, score: 0, ranks: {}, chunk }) : null;
  }

  /** A cache that fails is skipped: it costs speed, never an answer. `generation: null` means bypassed. */
  private async lookup<T>(tenantId: TenantId, key: string): Promise<{ value: T | undefined; generation: number | null }> {
    try {
      return await this.ports.cache.lookup<T>(tenantId, key);
    } catch {
      return { value: undefined, generation: null };
    }
  }

  private async remember(tenantId: TenantId, key: string, value: unknown, generation: number | null): Promise<void> {
    if (generation === null) return;
    await this.ports.cache.store(tenantId, key, value, generation, this.settings.cacheTtlSeconds).catch(() => undefined);
  }

  private requestKey(principal: Principal, kind: 'search' | 'chat', input: SearchInput) {
    const scope = accessScopeOf(principal);
    const normalizedQuery = normalizeText(input.query);
    const key = cacheKeyOf({ kind, scope, mode: input.mode, collection: input.collection, topK: input.topK, normalizedQuery });
    return { scope, key, normalizedQuery };
  }

  private finishChat(principal: Principal, input: SearchInput, response: ChatResponse, hits: readonly HitView[], cacheHit: boolean, clock: StageClock): ChatResponse {
    const ledgerHits = hits.length > 0 ? hits : response.citations.map((c) => ({ chunkId: c.chunkId, score: 0 }));
    this.ports.ledger.record({
      requestId: response.requestId,
      tenantId: principal.tenantId,
      kind: 'chat',
      query: input.query,
      mode: input.mode,
      collection: input.collection ?? null,
      cacheHit,
      degraded: response.degraded,
      hits: ledgerHits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score })),
      answer: response.answer,
      citations: response.citations,
      trace: response.trace,
      latencyMs: clock.total(),
      createdAt: Date.now(),
    });
    return response;
  }

  private finish(principal: Principal, input: SearchInput, response: SearchResponse, answer: string | null, citations: readonly Citation[], cacheHit: boolean, clock: StageClock): SearchResponse {
    this.ports.ledger.record({
      requestId: response.requestId,
      tenantId: principal.tenantId,
      kind: 'search',
      query: input.query,
      mode: input.mode,
      collection: input.collection ?? null,
      cacheHit,
      degraded: response.degraded,
      hits: response.hits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score })),
      answer,
      citations,
      trace: response.trace,
      latencyMs: clock.total(),
      createdAt: Date.now(),
    });
    return response;
  }
}

function emitAnswer(emit: (event: ChatEvent) => void, response: ChatResponse): void {
  emit({ type: 'token', text: response.answer });
  for (const citation of response.citations) emit({ type: 'citation', citation });
  emit({ type: 'done', response });
}

function toHitView(hit: RetrievalResult['hits'][number]): HitView {
  const { chunk } = hit;
  return {
    chunkId: hit.chunkId,
    documentId: hit.documentId,
    version: hit.version,
    nodeId: chunk.nodeId,
    title: chunk.title,
    sectionPath: chunk.sectionPath,
    text: chunk.text,
    score: hit.score,
    ranks: hit.ranks,
  };
}

const TRACE_FUSED_LIMIT = 20;

function missTrace(normalizedQuery: string, retrieval: RetrievalResult, stages: readonly StageTiming[], generation: number | null): Trace {
  return {
    cache: generation === null ? 'bypass' : 'miss',
    normalizedQuery,
    stages,
    stores: retrieval.stores,
    fused: retrieval.fused.slice(0, TRACE_FUSED_LIMIT).map(({ chunkId, score, ranks }) => ({ chunkId, score, ranks })),
    pruned: retrieval.pruned,
  };
}

function cacheHitTrace(normalizedQuery: string, stages: readonly StageTiming[]): Trace {
  return { cache: 'hit', normalizedQuery, stages, stores: [], fused: [], pruned: 0 };
}

/** Times the stages of one request; `lap` closes the stage that just ended. */
class StageClock {
  private readonly started = performance.now();
  private last = this.started;
  private readonly laps: StageTiming[] = [];

  lap(stage: string): void {
    const now = performance.now();
    this.laps.push({ stage, ms: Math.round((now - this.last) * 100) / 100 });
    this.last = now;
  }

  /** Takes stages timed elsewhere (retrieval's own) in place of one lap. */
  absorb(stages: readonly StageTiming[]): void {
    this.laps.push(...stages);
    this.last = performance.now();
  }

  stages(): StageTiming[] {
    return [...this.laps, { stage: 'total', ms: this.total() }];
  }

  total(): number {
    return Math.round((performance.now() - this.started) * 100) / 100;
  }
}

