import {
  accessScopeOf,
  AppError,
  type AccessScope,
  type AnswerCache,
  type ChatMessage,
  isOutageError,
  chunkContextOf,
  type ChunkContext,
  type Citation,
  type ContextBlock,
  type DependencyRole,
  degradedList,
  type LedgerEntry,
  type Principal,
  type QueryRewriter,
  type RetrievedChunk,
  type SqlStore,
  type StageTiming,
  type TenantId,
  type Trace,
  type Verification,
} from '@rag/core';
import { cacheKeyOf, RequestDeadline, type RetrievalRequest, type RetrievalResult, type RetrievalService } from '@rag/retrieval';
import { normalizeText } from '@rag/text-analysis';
import type { ConversationStore } from './conversation/conversation.store';
import { rewriteQuestion } from './conversation/follow-up.rewriter';
import type { LedgerRecorder } from './ledger.recorder';
import type { PrivacyFilter } from './privacy.filter';
import type { ChatEvent, ChatInput, ChatResponse, HitView, ReplayResponse, SearchInput, SearchResponse } from './query.types';
import type { AnswerComposer } from './verification/answer.composer';

export interface QuerySettings {
  readonly cacheTtlSeconds: number;
  /** How many retrieved chunks the generator sees as numbered context blocks. */
  readonly maxContexts: number;
  /** The whole request's budget; retrieval and generation take their timeouts from what is left. */
  readonly requestDeadlineMs: number;
}

export interface QueryPorts {
  readonly cache: AnswerCache;
  readonly retrieval: RetrievalService;
  readonly composer: AnswerComposer;
  readonly conversations: ConversationStore;
  readonly ledger: LedgerRecorder;
  readonly sqlStore: SqlStore;
  readonly privacy: PrivacyFilter;
  /** Rewrites follow-ups with a model; null uses the rules alone. */
  readonly rewriter: QueryRewriter | null;
}

type CachedSearch = Pick<SearchResponse, 'hits'>;
type CachedChat = Pick<ChatResponse, 'answer' | 'citations' | 'generator' | 'verification'>;
type Emit = (event: ChatEvent) => void;

/**
 * The gateway's use cases: search, chat and replay. Search and chat go cache first, then
 * retrieval; chat then writes a verified, cited answer. Every request leaves one ledger row;
 * degraded results are never cached.
 */
export class QueryService {
  constructor(
    private readonly ports: QueryPorts,
    private readonly settings: QuerySettings,
  ) {}

  async search(principal: Principal, input: SearchInput, requestId: string, signal?: AbortSignal): Promise<SearchResponse> {
    const clock = new StageClock();
    const deadline = RequestDeadline.after(this.settings.requestDeadlineMs, signal);
    const { scope, key, normalizedQuery } = this.requestKey(principal, 'search', input, input.query);
    const cached = await this.lookup<CachedSearch>(scope.tenantId, key);
    clock.lap('cache');
    if (cached.value) {
      return this.recordSearch(principal, input, { requestId, hits: cached.value.hits, degraded: this.degraded([]), trace: cacheHitTrace(normalizedQuery, clock.stages()) }, true, clock);
    }
    const retrieval = await this.ports.retrieval.retrieve(retrievalRequest(scope, normalizedQuery, input, deadline));
    clock.absorb(retrieval.stages);
    const hits = retrieval.hits.map(toHitView);
    const degraded = this.degraded([...retrieval.degraded, ...cacheFailure(cached.generation)]);
    if (cacheable(retrieval, degraded)) await this.remember(scope.tenantId, key, { hits }, cached.generation);
    const trace = missTrace(normalizedQuery, retrieval, clock.stages(), cached.generation);
    return this.recordSearch(principal, input, { requestId, hits, degraded, trace, ...noticeOf(retrieval) }, false, clock);
  }

  /**
   * The response's `degraded` list: what failed while answering, plus `sql` while ledger rows wait
   * in the spool (they are safe, but not yet readable through the ledger API).
   */
  private degraded(failed: readonly DependencyRole[]): DependencyRole[] {
    return degradedList(this.ports.ledger.spooling() ? [...failed, 'sql'] : failed);
  }

  /** The stored conversation, or none when SQL is down: the turn is answered without history and says so. */
  private async openConversation(principal: Principal, input: ChatInput): Promise<{ sessionId: string | null; history: readonly ChatMessage[]; failed: DependencyRole[] }> {
    if (input.history) return { sessionId: null, history: input.history, failed: [] };
    try {
      return { ...(await this.ports.conversations.open(principal, input.sessionId)), failed: [] };
    } catch (error) {
      if (!isStoreFailure(error)) throw error;
      return { sessionId: null, history: [], failed: ['sql'] };
    }
  }

  async chat(principal: Principal, input: ChatInput, requestId: string, emit: Emit = () => undefined, signal?: AbortSignal): Promise<ChatResponse> {
    const clock = new StageClock();
    const deadline = RequestDeadline.after(this.settings.requestDeadlineMs, signal);
    const { sessionId, history, failed: conversationFailed } = await this.openConversation(principal, input);
    const rewrite = await rewriteQuestion(input.query, history, this.ports.rewriter, deadline.signal);
    const { scope, key, normalizedQuery } = this.requestKey(principal, 'chat', input, rewrite.rewritten);
    const traceRewrite = { rewrite: { original: input.query, rewritten: rewrite.rewritten, method: rewrite.method } };
    const cached = await this.lookup<CachedChat>(scope.tenantId, key);
    clock.lap('cache');
    if (cached.value) {
      const degraded = this.degraded(conversationFailed);
      if (degraded.length > 0) emit({ type: 'degraded', stores: degraded });
      const response = this.present({ requestId, sessionId, ...cached.value, degraded, trace: { ...cacheHitTrace(normalizedQuery, clock.stages()), ...traceRewrite } });
      emitAnswer(emit, response);
      return this.finishChat(principal, input, rewrite.rewritten, response, [], true, clock);
    }

    const retrieval = await this.ports.retrieval.retrieve(retrievalRequest(scope, normalizedQuery, input, deadline));
    clock.absorb(retrieval.stages);
    emit({ type: 'retrieval', hits: retrieval.hits.map(toHitView) });
    const beforeGeneration = this.degraded([...conversationFailed, ...retrieval.degraded, ...cacheFailure(cached.generation)]);
    if (beforeGeneration.length > 0) emit({ type: 'degraded', stores: beforeGeneration });

    const contexts = this.contextsOf(retrieval.hits);
    const composed = await this.ports.composer.compose({ question: rewrite.rewritten, contexts, signal: deadline.signal, onToken: (text) => emit({ type: 'token', text }) });
    clock.lap('generate');
    const degraded = composed.generatorFailed ? degradedList([...beforeGeneration, 'generator']) : beforeGeneration;
    if (composed.generatorFailed) emit({ type: 'degraded', stores: degraded });
    emitVerifiedParts(emit, composed);
    const answer: CachedChat = { answer: composed.text, citations: composed.citations, generator: composed.generator, verification: composed.verification };
    if (cacheable(retrieval, degraded)) await this.remember(scope.tenantId, key, answer, cached.generation);
    const trace: Trace = { ...missTrace(normalizedQuery, retrieval, clock.stages(), cached.generation), ...traceRewrite, prompt: promptSize(contexts), verification: composed.verification };
    const response = this.present({ requestId, sessionId, ...answer, degraded, trace, ...noticeOf(retrieval) });
    emit({ type: 'done', response });
    return this.finishChat(principal, input, rewrite.rewritten, response, retrieval.hits.map(toHitView), false, clock);
  }

  /** What the caller receives: the trace always redacted, the answer too when PII_IN_ANSWERS=mask. */
  private present(response: ChatResponse): ChatResponse {
    return this.ports.privacy.answer(response);
  }

  /** Writes a past chat's answer again from the very chunks (and versions) it was given. */
  async replay(principal: Principal, requestId: string, newRequestId: string): Promise<ReplayResponse> {
    const clock = new StageClock();
    const original = await this.ledgerEntry(principal, requestId);
    if (!original) throw new AppError('NOT_FOUND', `No ledger entry for request "${requestId}".`, { requestId });
    if (original.kind !== 'chat') throw new AppError('VALIDATION_FAILED', `Request "${requestId}" was a search; only chat answers can be replayed.`, { requestId });
    const chunkIds = original.hits.slice(0, this.settings.maxContexts).map((hit) => hit.chunkId);
    const chunks = await this.ports.sqlStore.readableChunks(accessScopeOf(principal), chunkIds);
    const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
    const contexts: ContextBlock[] = chunkIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])).map((chunk, i) => ({ marker: i + 1, chunk }));
    const question = original.rewrittenQuery ?? original.query;
    const composed = await this.ports.composer.compose({ question, contexts, onToken: () => undefined });
    clock.lap('generate');
    const trace: Trace = { cache: 'bypass', normalizedQuery: normalizeText(question), stages: clock.stages(), stores: [], fused: [], pruned: chunkIds.length - contexts.length, prompt: promptSize(contexts), verification: composed.verification, replayOf: requestId };
    const response: ReplayResponse = {
      requestId: newRequestId,
      replayOf: requestId,
      answer: composed.text,
      citations: composed.citations,
      verification: composed.verification,
      generator: composed.generator,
      degraded: [],
      trace,
      sameAnswer: composed.text === original.answer,
      original: { answer: original.answer, citations: original.citations },
    };
    this.ports.ledger.record({ ...ledgerBase(principal, original, newRequestId, clock), answer: composed.text, citations: composed.citations, verification: composed.verification, trace, hits: original.hits });
    return response;
  }

  /**
   * A past request's ledger row, if the caller may read it: their own, or any of the tenant's for an
   * administrator. Another caller's row is reported as missing, revealing nothing.
   */
  async ledgerEntry(principal: Principal, requestId: string): Promise<LedgerEntry | null> {
    const entry = await this.ports.ledger.find(principal.tenantId, requestId);
    if (!entry) return null;
    return entry.subject === principal.subject || principal.scopes.includes('admin') ? entry : null;
  }

  /**
   * One chunk of an active version, if the caller may read it: how a client checks a citation. Its
   * context widens it to its section and its neighbours, from the same version only.
   */
  async chunk(principal: Principal, chunkId: string): Promise<(HitView & { readonly context: ChunkContext }) | null> {
    const [chunk] = await this.ports.retrieval.readableChunks(accessScopeOf(principal), [chunkId]);
    if (!chunk) return null;
    const versionChunks = await this.ports.sqlStore.chunksOfVersion(chunk.tenantId, chunk.documentId, chunk.version);
    return { ...toHitView({ chunkId: chunk.id, documentId: chunk.documentId, version: chunk.version, score: 0, ranks: {}, chunk }), context: chunkContextOf(chunk, versionChunks) };
  }

  private contextsOf(hits: readonly RetrievedChunk[]): ContextBlock[] {
    return hits.slice(0, this.settings.maxContexts).map((hit, i) => ({ marker: i + 1, chunk: hit.chunk }));
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

  private requestKey(principal: Principal, kind: 'search' | 'chat', input: SearchInput, query: string) {
    const scope = accessScopeOf(principal);
    const normalizedQuery = normalizeText(query);
    const key = cacheKeyOf({ kind, scope, mode: input.mode, collection: input.collection, topK: input.topK, normalizedQuery, retrievalFingerprint: this.ports.retrieval.fingerprint, ...(input.navigation ? { variant: JSON.stringify(input.navigation) } : {}) });
    return { scope, key, normalizedQuery };
  }

  private async finishChat(principal: Principal, input: ChatInput, rewritten: string, response: ChatResponse, hits: readonly HitView[], cacheHit: boolean, clock: StageClock): Promise<ChatResponse> {
    const ledgerHits = hits.length > 0 ? hits : response.citations.map((c) => ({ chunkId: c.chunkId, score: 0 }));
    this.ports.ledger.record({
      requestId: response.requestId,
      tenantId: principal.tenantId,
      subject: principal.subject,
      kind: 'chat',
      query: input.query,
      rewrittenQuery: rewritten === input.query ? null : rewritten,
      sessionId: response.sessionId,
      mode: input.mode,
      collection: input.collection ?? null,
      cacheHit,
      degraded: response.degraded,
      hits: ledgerHits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score })),
      answer: response.answer,
      citations: response.citations,
      verification: response.verification,
      trace: response.trace,
      latencyMs: clock.total(),
      createdAt: Date.now(),
    });
    if (response.sessionId !== null) {
      const turn = { question: input.query, rewritten: rewritten === input.query ? null : rewritten, answer: response.answer, requestId: response.requestId };
      // SQL failing between opening the session and now: the answer stands; the ledger row keeps the turn.
      await this.ports.conversations.record(principal, response.sessionId, turn).catch((error: unknown) => {
        if (!isStoreFailure(error)) throw error;
      });
    }
    return response;
  }

  private recordSearch(principal: Principal, input: SearchInput, unredacted: SearchResponse, cacheHit: boolean, clock: StageClock): SearchResponse {
    const response = { ...unredacted, trace: this.ports.privacy.trace(unredacted.trace) };
    this.ports.ledger.record({
      requestId: response.requestId,
      tenantId: principal.tenantId,
      subject: principal.subject,
      kind: 'search',
      query: input.query,
      rewrittenQuery: null,
      sessionId: null,
      mode: input.mode,
      collection: input.collection ?? null,
      cacheHit,
      degraded: response.degraded,
      hits: response.hits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score })),
      answer: null,
      citations: [],
      verification: null,
      trace: response.trace,
      latencyMs: clock.total(),
      createdAt: Date.now(),
    });
    return response;
  }
}

function retrievalRequest(scope: AccessScope, query: string, input: SearchInput, deadline: RequestDeadline): RetrievalRequest {
  return { scope, query, mode: input.mode, collection: input.collection, topK: input.topK, deadline, ...(input.navigation ? { navigation: input.navigation } : {}) };
}

/** Degraded results, and walks a budget cut short, are not what the next caller should get. */
function cacheable(retrieval: RetrievalResult, degraded: readonly DependencyRole[]): boolean {
  return degraded.length === 0 && !retrieval.navigation?.stoppedBy;
}

const BUDGET_WORDS = { maxModelCalls: 'model-call', maxTokens: 'token', maxMs: 'time' } as const;

/** Says in words when a budget stopped the walk, for the response. */
function noticeOf(retrieval: RetrievalResult): { notice?: string } {
  const navigation = retrieval.navigation;
  if (!navigation?.stoppedBy) return {};
  const limit = navigation.budget[navigation.stoppedBy];
  return { notice: `Navigation stopped early: its ${BUDGET_WORDS[navigation.stoppedBy]} budget (${navigation.stoppedBy} ${limit}) ran out, so the result comes from the sections chosen by then.` };
}

/** `generation: null` means the cache lookup failed and was bypassed. */
function cacheFailure(generation: number | null): DependencyRole[] {
  return generation === null ? ['cache'] : [];
}

/** A dependency failure (or an error no adapter translated), as opposed to a request the caller got wrong. */
function isStoreFailure(error: unknown): boolean {
  return isOutageError(error) || !(error instanceof AppError);
}

function ledgerBase(principal: Principal, original: LedgerEntry, requestId: string, clock: StageClock): Omit<LedgerEntry, 'answer' | 'citations' | 'verification' | 'trace' | 'hits'> {
  return {
    requestId,
    tenantId: principal.tenantId,
    subject: principal.subject,
    kind: 'chat',
    query: original.query,
    rewrittenQuery: original.rewrittenQuery,
    sessionId: original.sessionId,
    mode: original.mode,
    collection: original.collection,
    cacheHit: false,
    degraded: [],
    latencyMs: clock.total(),
    createdAt: Date.now(),
  };
}

function emitVerifiedParts(emit: Emit, answer: { citations: readonly Citation[]; verification: Verification }): void {
  for (const citation of answer.citations) emit({ type: 'citation', citation });
  emit({ type: 'verification', verification: answer.verification });
}

function emitAnswer(emit: Emit, response: ChatResponse): void {
  emit({ type: 'token', text: response.answer });
  emitVerifiedParts(emit, response);
  emit({ type: 'done', response });
}

function promptSize(contexts: readonly ContextBlock[]): { contextBlocks: number; characters: number } {
  return { contextBlocks: contexts.length, characters: contexts.reduce((sum, block) => sum + block.chunk.text.length, 0) };
}

function toHitView(hit: RetrievedChunk): HitView {
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
    scores: hit.scores ?? {},
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
    ...(retrieval.navigation ? { navigation: retrieval.navigation } : {}),
    ...(retrieval.route ? { route: retrieval.route } : {}),
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
