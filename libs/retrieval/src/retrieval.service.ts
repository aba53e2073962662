import {
  AppError,
  type AccessScope,
  type AnswerCache,
  type Chunk,
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
import { withTimeout } from './deadline';
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
}

export interface RetrievalResult {
  readonly hits: readonly RetrievedChunk[];
  readonly degraded: readonly RetrievalStore[];
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

  constructor(
    private readonly ports: RetrievalPorts,
    private readonly settings: RetrievalSettings,
  ) {
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
    const deadline = started + this.settings.deadlineMs;
    const candidates = Math.max(MIN_CANDIDATES, request.topK * CANDIDATE_FACTOR);
    const stores = STORES_BY_MODE[mode];
    const outcomes = await Promise.all(stores.map((store) => this.searchStore(store, request, candidates, deadline)));
    const fanOutMs = performance.now() - started;

    const lists: Partial<Record<RetrievalStore, StoreHit[]>> = {};
    for (const outcome of outcomes) if (outcome.hits) lists[outcome.trace.store] = outcome.hits;
    const fused = fuseHits(lists, { method: this.settings.fusionMethod, rrfK: this.settings.rrfK, weights: this.settings.fusionWeights });

    const hydrateStarted = performance.now();
    const hits = await this.hydrate(request.scope, fused, request.topK);
    return {
      hits,
      degraded: outcomes.filter((o) => !o.trace.ok).map((o) => o.trace.store),
      stores: outcomes.map((o) => o.trace),
      fused,
      pruned: countPruned(fused, hits, request.topK),
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

  private async searchStore(store: RetrievalStore, request: RetrievalRequest, topK: number, deadline: number): Promise<{ trace: StoreTrace; hits?: StoreHit[] }> {
    const started = performance.now();
    const budget = Math.min(this.settings.storeTimeoutMs, deadline - started);
    try {
      const hits = await withTimeout(this.runStore(store, request, topK), budget, store);
      return { trace: { store, ok: true, ms: round(performance.now() - started), hits: hits.length }, hits };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { trace: { store, ok: false, ms: round(performance.now() - started), hits: 0, error: message } };
    }
  }

  private async runStore(store: RetrievalStore, request: RetrievalRequest, topK: number): Promise<StoreHit[]> {
    const { scope, collection, query } = request;
    switch (store) {
      case 'keyword':
        return this.ports.keywordIndex.search({ scope, collection, text: query, topK });
      case 'vector': {
        const [vector] = await this.ports.embedder.embed([query], 'query');
        if (!vector) return [];
        return this.ports.vectorIndex.search({ scope, collection, vector, topK });
      }
    }
  }

  /** Joins fused hits with their chunks, dropping inactive versions and anything the scope may not read. */
  private async hydrate(scope: AccessScope, fused: readonly FusedHit[], topK: number): Promise<RetrievedChunk[]> {
    // Fetch a margin beyond topK so that pruned hits can be replaced by the next ones.
    const wanted = fused.slice(0, topK * 2);
    const chunks = await this.ports.sqlStore.readableActiveChunks(scope, wanted.map((hit) => hit.chunkId));
    const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
    const hits: RetrievedChunk[] = [];
    for (const hit of wanted) {
      const chunk = byId.get(hit.chunkId);
      if (chunk) hits.push({ ...hit, chunk });
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
