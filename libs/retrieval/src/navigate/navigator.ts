import { createHash } from 'node:crypto';
import { AppError, type AccessScope, type ActiveVersionInfo, type AnswerCache, type Embedder, type NavigationBudget, type NavigationTrace, type RetrievedChunk, type SectionChooser, type SqlStore } from '@rag/core';
import { analyzeQuery } from '@rag/text-analysis';
import type { DocumentTree } from './document.tree';
import { LexicalScorer } from './lexical.scorer';
import { BudgetMeter } from './navigation.budget';
import type { NavigationRequest, NavigationSettings } from './navigation.types';
import { TreeCache } from './tree.cache';
import { type DocumentWalk, walkDocument } from './tree.walker';

export interface NavigatorPorts {
  readonly sqlStore: SqlStore;
  /** Keeps finished walks per document version and question, tied to the tenant's corpus generation. */
  readonly cache: AnswerCache | null;
  readonly chooser: SectionChooser | null;
  readonly embedder: Embedder;
}

export interface NavigationInput {
  readonly scope: AccessScope;
  readonly query: string;
  readonly collection: string | undefined;
  readonly topK: number;
  readonly request: NavigationRequest | undefined;
  /** Hybrid's hits, best first: the walk starts from their documents unless the request names some. */
  readonly seeds: readonly RetrievedChunk[];
}

export interface NavigationOutcome {
  readonly hits: RetrievedChunk[];
  readonly trace: NavigationTrace;
}

/** A document further down hybrid's list counts for less when leaves of several documents are merged. */
const DOCUMENT_RANK_DECAY = 0.5;

/**
 * The `navigate` mode: walks the structure trees of the best documents (hybrid's, or those the
 * request names) under one budget, and returns the leaves where the walks ended, ranked. A walk
 * that finished is cached per document version and question until the tenant's corpus changes.
 */
export class Navigator {
  private readonly trees: TreeCache;

  constructor(
    private readonly ports: NavigatorPorts,
    readonly settings: NavigationSettings,
  ) {
    this.trees = new TreeCache(ports.sqlStore, settings.maxCachedTrees);
  }

  /** Active versions of the documents a walk would start from, best first; used by `auto` too. */
  async startingDocuments(scope: AccessScope, collection: string | undefined, request: NavigationRequest | undefined, seeds: readonly RetrievedChunk[]): Promise<ActiveVersionInfo[]> {
    const named = request?.documentIds;
    const wanted = named && named.length > 0 ? [...new Set(named)] : [...new Set(seeds.map((hit) => hit.documentId))].slice(0, this.settings.maxDocuments);
    const found = await this.ports.sqlStore.readableActiveVersions(scope, wanted, collection);
    const byId = new Map(found.map((version) => [version.documentId, version]));
    if (named && named.length > 0) {
      const missing = wanted.filter((id) => !byId.has(id));
      if (missing.length > 0) throw new AppError('NOT_FOUND', `navigation.documentIds: no indexed document "${missing[0]}" that you may read${collection ? ` in collection "${collection}"` : ''}.`, { field: 'navigation.documentIds', documentId: missing[0] });
    }
    return wanted.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  async navigate(input: NavigationInput): Promise<NavigationOutcome> {
    const budget = this.budgetOf(input.request);
    const meter = new BudgetMeter(budget);
    const documents = await this.startingDocuments(input.scope, input.collection, input.request, input.seeds);
    const walks: { walk: DocumentWalk; tree: DocumentTree; cached: boolean }[] = [];
    for (const document of documents) {
      const tree = await this.trees.load(input.scope.tenantId, document.documentId, document.version, document.title);
      const cacheKey = this.cacheKey(document, input.query, meter);
      const cached = await this.cachedWalk(input.scope, cacheKey);
      if (cached.walk) {
        walks.push({ walk: cached.walk, tree, cached: true });
        continue;
      }
      const walk = await walkDocument(tree, { question: input.query, scorer: new LexicalScorer(tree, analyzeQuery(input.query)), meter, chooser: this.ports.chooser, embedder: this.settings.useEmbeddings ? this.ports.embedder : null, settings: this.settings.walk });
      walks.push({ walk, tree, cached: false });
      if (walk.stoppedBy === null) await this.remember(input.scope, cacheKey, walk, cached.generation);
    }
    return {
      hits: mergeLeaves(walks, input.topK),
      trace: {
        start: input.request?.documentIds?.length ? 'request' : 'hybrid',
        documents: walks.map(({ tree, cached }, i) => ({ documentId: tree.documentId, version: tree.version, title: tree.title, chunks: documents[i]?.chunkCount ?? tree.leaves.length, cached })),
        decisions: walks.flatMap(({ walk }) => walk.decisions),
        collected: walks.flatMap(({ walk }) => walk.collected.map((nodeId) => `${walk.documentId}@${walk.version}#${nodeId}`)),
        modelCalls: meter.modelCalls,
        tokens: meter.tokens,
        ms: meter.elapsedMs(),
        budget,
        stoppedBy: meter.stoppedBy,
      },
    };
  }

  /** The configured budget, lowered where the request asks for less. */
  private budgetOf(request: NavigationRequest | undefined): NavigationBudget {
    const limit = this.settings.budget;
    return {
      maxModelCalls: Math.min(request?.maxModelCalls ?? limit.maxModelCalls, limit.maxModelCalls),
      maxTokens: Math.min(request?.maxTokens ?? limit.maxTokens, limit.maxTokens),
      maxMs: Math.min(request?.maxMs ?? limit.maxMs, limit.maxMs),
    };
  }

  /** A walk depends on the version, the question, the scorer in use and the walk's shape. */
  private cacheKey(document: ActiveVersionInfo, query: string, meter: BudgetMeter): string {
    const scorer = this.ports.chooser && meter.modelEnabled ? 'model' : this.settings.useEmbeddings ? 'embedding' : 'lexical';
    const fields = [document.documentId, String(document.version), scorer, JSON.stringify(this.settings.walk), query];
    return `navigate:${createHash('sha256').update(fields.join('\u0000')).digest('base64url')}`;
  }

  private async cachedWalk(scope: AccessScope, key: string): Promise<{ walk: DocumentWalk | undefined; generation: number | null }> {
    if (!this.ports.cache) return { walk: undefined, generation: null };
    try {
      const found = await this.ports.cache.lookup<DocumentWalk>(scope.tenantId, key);
      return { walk: found.value, generation: found.generation };
    } catch {
      return { walk: undefined, generation: null };
    }
  }

  private async remember(scope: AccessScope, key: string, walk: DocumentWalk, generation: number | null): Promise<void> {
    if (!this.ports.cache || generation === null) return;
    await this.ports.cache.store(scope.tenantId, key, walk, generation, this.settings.cacheTtlSeconds).catch(() => undefined);
  }
}

/** Leaves of all walks, each scored relative to its document's best and weighed by the document's place. */
function mergeLeaves(walks: readonly { walk: DocumentWalk; tree: DocumentTree }[], topK: number): RetrievedChunk[] {
  const merged = walks.flatMap(({ walk, tree }, rank) => {
    const chunks = new Map(tree.leaves.map((leaf) => [leaf.id, leaf.chunk!]));
    const weight = 1 / (1 + DOCUMENT_RANK_DECAY * rank);
    return walk.leaves.flatMap((leaf, order) => {
      const chunk = chunks.get(leaf.nodeId);
      return chunk ? [{ chunk, score: leaf.score * weight, rank, order }] : [];
    });
  });
  merged.sort((a, b) => b.score - a.score || a.rank - b.rank || a.order - b.order);
  return merged.slice(0, topK).map(({ chunk, score }) => ({ chunkId: chunk.id, documentId: chunk.documentId, version: chunk.version, score: Math.round(score * 1000) / 1000, ranks: {}, chunk }));
}
