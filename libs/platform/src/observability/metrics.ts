import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Where a dependency is named in metrics: by its role, not its product, so dashboards work on both
 * profiles (cache = Redis or memory, vector = Milvus or hnswlib, keyword = Elasticsearch or FTS5,
 * sql = MySQL or SQLite, embedder and generator = the model servers or their local stand-ins).
 */
export const DEPENDENCY_NAMES = ['cache', 'vector', 'keyword', 'sql', 'embedder', 'generator'] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

/** Breaker states as the gauge reports them, so an alert can say `== 2` for open. */
export const BREAKER_STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * One registry per process with every instrument the services report to. The names here are the
 * contract with deploy/ (Prometheus rules and Grafana dashboards): rename one and those break.
 * Libraries do not import this; they expose hooks that the wiring connects to these instruments.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'rag_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Time spent in each stage of a query: cache, embed, vector, keyword, fusion, hydrate, generate, verify. */
  readonly stageDuration = new Histogram({
    name: 'rag_stage_duration_seconds',
    help: 'Time spent in one stage of a search or chat request.',
    labelNames: ['route', 'stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly dependencyDuration = new Histogram({
    name: 'rag_dependency_duration_seconds',
    help: 'Latency of calls to a store or model server, by dependency role and outcome (ok or error).',
    labelNames: ['dependency', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly dependencyErrors = new Counter({
    name: 'rag_dependency_errors_total',
    help: 'Failed calls to a store or model server, by dependency role and error code.',
    labelNames: ['dependency', 'code'] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'rag_breaker_state',
    help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open.',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'rag_cache_lookups_total',
    help: 'Answer cache lookups by route and result (hit, miss, error).',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
  });

  readonly responses = new Counter({
    name: 'rag_query_responses_total',
    help: 'Search and chat responses by route and whether any store was degraded.',
    labelNames: ['route', 'degraded'] as const,
    registers: [this.registry],
  });

  readonly degradedDependency = new Counter({
    name: 'rag_degraded_responses_total',
    help: 'Responses served without one dependency, by the dependency that was missing.',
    labelNames: ['route', 'dependency'] as const,
    registers: [this.registry],
  });

  readonly modelTokens = new Counter({
    name: 'rag_model_tokens_total',
    help: 'Tokens sent to (in) and received from (out) the chat model.',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  readonly verifiedSentences = new Counter({
    name: 'rag_answer_sentences_total',
    help: 'Answer sentences by verification result (verified or unsupported).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'rag_outbox_pending_events',
    help: 'Index events waiting in the outbox (pending or being processed).',
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'rag_outbox_oldest_age_seconds',
    help: 'Age of the oldest index event still waiting in the outbox.',
    registers: [this.registry],
  });

  readonly outboxDead = new Gauge({
    name: 'rag_outbox_dead_events',
    help: 'Index events that failed too often and wait for a retry by API.',
    registers: [this.registry],
  });

  readonly indexedChunks = new Counter({
    name: 'rag_ingest_chunks_indexed_total',
    help: 'Chunks written to the vector and keyword indexes by the index worker.',
    registers: [this.registry],
  });

  readonly ingestedDocuments = new Counter({
    name: 'rag_ingest_documents_total',
    help: 'Document submissions by outcome (ingested, updated, unchanged, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly ledgerSpoolDepth = new Gauge({
    name: 'rag_ledger_spool_rows',
    help: 'Ledger rows kept in the local spool file while the SQL store cannot take them.',
    registers: [this.registry],
  });

  readonly feedback = new Counter({
    name: 'rag_feedback_total',
    help: 'Feedback on answers by rating (up or down).',
    labelNames: ['rating'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rag_' });
  }
}
