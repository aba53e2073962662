import {
  type AccessScope,
  type AnswerCache,
  AppError,
  type Chunk,
  degradedList,
  type DependencyRole,
  type Embedder,
  type FlatRetrievalMode,
  type FusedHit,
  type KeywordIndex,
  type NavigationTrace,
  type RetrievalMode,
  type RetrievalStore,
  type RetrievedChunk,
  type RouteDecision,
  type SectionChooser,
  type SqlStore,
  type StageTiming,
  type StoreHit,
  type StoreTrace,
  type VectorIndex,
} from '@rag/core';
import { ChunkCopy } from './chunk.copy';
import { RequestDeadline, withTimeout } from './deadline';
import { fuseHits, type FusionMethod } from './hit.fusion';
import type { FusionWeights } from './rrf.fusion';
import { routeQuery } from './navigate/auto.router';
import type { NavigationRequest, NavigationSettings } from './navigate/navigation.types';
import { Navigator } from './navigate/navigator';
import { fuseWalkWithHybrid } from './navigate/walk.fusion';

export interface RetrievalSettings {
  readonly deadlineMs: number;
  readonly storeTimeoutMs: number;
  readonly rrfK: number;
  /** How hybrid merges the stores' lists (FUSION_METHOD): reciprocal rank or normalised scores. */
  readonly fusionMethod: FusionMethod;
  /** Each store's weight in the fusion (FUSION_WEIGHT_KEYWORD, FUSION_WEIGHT_VECTOR). */
  readonly fusionWeights: FusionWeights;
  /** The `navigate` and `auto` modes; without it they are refused. */
  readonly navigation?: NavigationSettings;
}

export interface RetrievalRequest {
  readonly scope: AccessScope;
  readonly query: string;
  readonly mode: RetrievalMode;
  readonly collection: string | undefined;
  readonly topK: number;
  /** Where a `navigate` walk starts and its budget. */
  readonly navigation?: NavigationRequest;
  /** The request's deadline; retrieval keeps within it as well as within its own. */
  readonly deadline?: RequestDeadline;
}

export interface RetrievalResult {
  readonly hits: readonly RetrievedChunk[];
  /** What failed: a channel's index (`vector`, `keyword`), the `embedder` behind the vector channel, or `sql` when hits came from the chunk copy. */
  readonly degraded: readonly DependencyRole[];
  readonly stores: readonly StoreTrace[];
  readonly fused: readonly FusedHit[];
  readonly pruned: number;
  readonly stages: readonly StageTiming[];
  readonly navigation?: NavigationTrace;
  readonly route?: RouteDecision;
}

export interface RetrievalPorts {
  readonly vectorIndex: VectorIndex;
  readonly keywordIndex: KeywordIndex;
  readonly embedder: Embedder;
  readonly sqlStore: SqlStore;
  /** Keeps navigation walks; null walks afresh every time. */
  readonly cache?: AnswerCache | null;
  /** The chat model that picks sections for `navigate`; null walks lexically. */
  readonly sectionChooser?: SectionChooser | null;
}

/** Each store returns this many candidates per requested hit, so fusion has overlap to work with. */
const CANDIDATE_FACTOR = 4;
const MIN_CANDIDATES = 20;
/** Chunks kept in process for hydration while SQL is down; about 2 KB each, so a few tens of MB at most. */
const CHUNK_COPY_SIZE = 20_000;

/** A walk starts from the documents of at least this many hybrid hits. */
const MIN_SEED_HITS = 20;

const STORES_BY_MODE: Record<FlatRetrievalMode, readonly RetrievalStore[]> = {
  hybrid: ['keyword', 'vector'],
  keyword: ['keyword'],
  vector: ['vector'],
};

/**
 * The query path's retrieval: fans out to the stores in parallel under one deadline, fuses their
 * ranked lists, and keeps the hits whose chunks belong to active versions the caller may read.
 * A store that fails or is slow is reported as degraded; it never fails the request.
 */
export class RetrievalService {
  private readonly navigator: Navigator | null;
  private readonly chunkCopy = new ChunkCopy(CHUNK_COPY_SIZE);
  /** Everything in this service's configuration that changes a ranking; part of every cache key. */
  readonly fingerprint: string;

  constructor(
    private readonly ports: RetrievalPorts,
    private readonly settings: RetrievalSettings,
  ) {
    const { fusionMethod, rrfK, fusionWeights } = settings;
    this.fingerprint = [fusionMethod, rrfK, fusionWeights.keyword, fusionWeights.vector, ports.embedder.modelId].join('|');
    this.navigator = settings.navigation
      ? new Navigator({ sqlStore: ports.sqlStore, cache: ports.cache ?? null, chooser: ports.sectionChooser ?? null, embedder: ports.embedder }, settings.navigation)
      : null;
  }

  async retrieve(request: RetrievalRequest): Promise<RetrievalResult> {
    switch (request.mode) {
      case 'navigate':
        return this.navigate(request, undefined);
      case 'auto':
        return this.auto(request);
      default:
        return this.retrieveFlat(request, request.mode);
    }
  }

  /** `auto`: hybrid first; the router reads its hits and either keeps them or walks from them. */
  private async auto(request: RetrievalRequest): Promise<RetrievalResult> {
    const navigator = this.requireNavigator();
    if (request.navigation?.documentIds?.length) {
      const route: RouteDecision = { chosen: 'navigate', reason: 'The request names the documents to read, so they are walked.', signals: { namedDocuments: request.navigation.documentIds.length } };
      return { ...(await this.navigate(request, undefined)), route };
    }
    const hybrid = await this.seedSearch(request);
    const routed = performance.now();
    const documents = await navigator.startingDocuments(request.scope, request.collection, undefined, hybrid.hits);
    const route = routeQuery(hybrid.hits, documents, { longDocumentChunks: navigator.settings.longDocumentChunks });
    const stages = [...hybrid.stages, { stage: 'route', ms: round(performance.now() - routed) }];
    if (route.chosen === 'hybrid') return { ...hybrid, hits: hybrid.hits.slice(0, request.topK), stages, route };
    return { ...(await this.navigate(request, { ...hybrid, stages })), route };
  }

  /**
   * `navigate`: walks the trees of hybrid's best documents (or the named ones) and returns the
   * leaves where the walks ended, fused with hybrid's hits (only the leaves, when documents are named).
   */
  private async navigate(request: RetrievalRequest, seeded: RetrievalResult | undefined): Promise<RetrievalResult> {
    const navigator = this.requireNavigator();
    const named = (request.navigation?.documentIds?.length ?? 0) > 0;
    const hybrid = seeded ?? (named ? emptyResult() : await this.seedSearch(request));
    const started = performance.now();
    const walked = await navigator.navigate({ scope: request.scope, query: request.query, collection: request.collection, topK: request.topK, request: request.navigation, seeds: hybrid.hits });
    const hits = named ? walked.hits : fuseWalkWithHybrid(walked.hits, hybrid.hits, this.settings.rrfK);
    return {
      ...hybrid,
      hits: hits.slice(0, request.topK),
      stages: [...hybrid.stages, { stage: 'navigate', ms: round(performance.now() - started) }],
      navigation: walked.trace,
    };
  }

  private seedSearch(request: RetrievalRequest): Promise<RetrievalResult> {
    return this.retrieveFlat({ ...request, topK: Math.max(request.topK, MIN_SEED_HITS) }, 'hybrid');
  }

  private requireNavigator(): Navigator {
    if (!this.navigator) throw new AppError('VALIDATION_FAILED', 'mode: navigate and auto are not available in this service.', { field: 'mode' });
    return this.navigator;
  }

  private async retrieveFlat(request: RetrievalRequest, mode: FlatRetrievalMode): Promise<RetrievalResult> {
    const started = performance.now();
    const deadline = RequestDeadline.after(Math.min(this.settings.deadlineMs, request.deadline?.remainingMs() ?? Infinity), request.deadline?.signal);
    const candidates = Math.max(MIN_CANDIDATES, request.topK * CANDIDATE_FACTOR);
    const stores = STORES_BY_MODE[mode];
    const outcomes = await Promise.all(stores.map((store) => this.searchStore(store, request, candidates, deadline)));
    const fanOutMs = performance.now() - started;

    const lists: Partial<Record<RetrievalStore, StoreHit[]>> = {};
    for (const outcome of outcomes) if (outcome.hits) lists[outcome.trace.store] = outcome.hits;
    const fused = fuseHits(lists, { method: this.settings.fusionMethod, rrfK: this.settings.rrfK, weights: this.settings.fusionWeights });

    const hydrateStarted = performance.now();
    const hydrated = await this.hydrate(request.scope, fused, request.topK, request.deadline);
    const failed = outcomes.flatMap((o) => (o.failed ? [o.failed] : []));
    return {
      hits: hydrated.hits,
      degraded: degradedList(hydrated.fromCopy ? [...failed, 'sql'] : failed),
      stores: outcomes.map((o) => o.trace),
      fused,
      pruned: countPruned(fused, hydrated.hits, request.topK),
      stages: [
        { stage: 'retrieve', ms: round(fanOutMs) },
        { stage: 'hydrate', ms: round(performance.now() - hydrateStarted) },
      ],
    };
  }

  /** Chunks of active versions that the scope may read, from the source of truth. */
  readableChunks(scope: AccessScope, chunkIds: readonly string[]): Promise<Chunk[]> {
    return this.ports.sqlStore.readableActiveChunks(scope, chunkIds);
  }

  private async searchStore(
    store: RetrievalStore,
    request: RetrievalRequest,
    topK: number,
    deadline: RequestDeadline,
  ): Promise<{ trace: StoreTrace; hits?: StoreHit[]; failed?: DependencyRole }> {
    const started = performance.now();
    const budget = Math.min(this.settings.storeTimeoutMs, deadline.remainingMs());
    const channel = { failed: store as DependencyRole };
    try {
      const hits = await withTimeout(this.runStore(store, request, topK, deadline.signalWithin(budget), channel), budget, store);
      return { trace: { store, ok: true, ms: round(performance.now() - started), hits: hits.length }, hits };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { trace: { store, ok: false, ms: round(performance.now() - started), hits: 0, error: message }, failed: channel.failed };
    }
  }

  /** `channel.failed` names what a failure is blamed on: the vector channel first needs the embedder. */
  private async runStore(store: RetrievalStore, request: RetrievalRequest, topK: number, signal: AbortSignal, channel: { failed: DependencyRole }): Promise<StoreHit[]> {
    const { scope, collection, query } = request;
    switch (store) {
      case 'keyword':
        return this.ports.keywordIndex.search({ scope, collection, text: query, topK });
      case 'vector': {
        channel.failed = 'embedder';
        const [vector] = await this.ports.embedder.embed([query], 'query', signal);
        channel.failed = 'vector';
        if (!vector) return [];
        return this.ports.vectorIndex.search({ scope, collection, vector, topK });
      }
    }
  }

  /**
   * Joins fused hits with their chunks, dropping inactive versions and anything the scope may not
   * read. When SQL fails, the chunk copy answers for the hits it holds (`fromCopy`), the rest drop.
   */
  private async hydrate(scope: AccessScope, fused: readonly FusedHit[], topK: number, deadline: RequestDeadline | undefined): Promise<{ hits: RetrievedChunk[]; fromCopy: boolean }> {
    // Fetch a margin beyond topK so that pruned hits can be replaced by the next ones.
    const wanted = fused.slice(0, topK * 2);
    if (wanted.length === 0) return { hits: [], fromCopy: false };
    const budget = Math.min(this.settings.storeTimeoutMs, deadline?.remainingMs() ?? Infinity);
    let chunks: Chunk[];
    let fromCopy = false;
    try {
      chunks = await withTimeout(this.ports.sqlStore.readableActiveChunks(scope, wanted.map((hit) => hit.chunkId)), budget, 'sql');
      this.chunkCopy.remember(chunks);
    } catch {
      chunks = this.chunkCopy.readable(scope, wanted);
      fromCopy = true;
    }
    return { hits: this.join(wanted, chunks, topK), fromCopy };
  }

  private join(wanted: readonly FusedHit[], chunks: readonly Chunk[], topK: number): RetrievedChunk[] {
    const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
    const hits: RetrievedChunk[] = [];
    for (const hit of wanted) {
      const chunk = byId.get(hit.chunkId);
      // The index may carry the version that first wrote an unchanged chunk; readers see the active one.
      if (chunk) hits.push({ ...hit, version: chunk.version, chunk });
      if (hits.length === topK) break;
    }
    return hits;
  }
}

function emptyResult(): RetrievalResult {
  return { hits: [], degraded: [], stores: [], fused: [], pruned: 0, stages: [] };
}

function countPruned(fused: readonly FusedHit[], kept: readonly RetrievedChunk[], topK: number): number {
  const considered = Math.min(fused.length, topK * 2);
  const lastKept = kept.at(-1);
  const examined = lastKept ? fused.findIndex((hit) => hit.chunkId === lastKept.chunkId) + 1 : considered;
  return Math.max(0, examined - kept.length);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
