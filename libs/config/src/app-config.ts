import { resolve } from 'node:path';
import { AppError } from '@rag/core';
import { environmentSchema, type Environment, PROFILE_DEFAULTS, REQUIRED_WHEN } from './app-config.schema';

export type CacheSettings =
  | { readonly adapter: 'memory'; readonly ttlSeconds: number; readonly maxEntries: number }
  | { readonly adapter: 'redis'; readonly ttlSeconds: number; readonly maxEntries: number; readonly url: string; readonly keyPrefix: string };
export type VectorIndexSettings =
  | { readonly adapter: 'embedded'; readonly directory: string }
  | { readonly adapter: 'milvus'; readonly address: string; readonly token: string | undefined; readonly collection: string };
export type KeywordIndexSettings =
  | { readonly adapter: 'embedded'; readonly directory: string; readonly scoredRows: number }
  | { readonly adapter: 'elasticsearch'; readonly url: string; readonly index: string };
export type SqlSettings = { readonly adapter: 'sqlite'; readonly sqliteFile: string } | { readonly adapter: 'mysql'; readonly url: string };
/** An OpenAI-compatible model server: where it is, and how hard to press it. */
export interface ModelServerSettings {
  /** Base URL of the API, ending in `/v1`. */
  readonly url: string;
  readonly model: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  /** Requests in flight at once from this process. */
  readonly concurrency: number;
}
/** `dimensions` is the chosen embedder's, so the vector index always matches it. */
export type EmbedderSettings =
  | { readonly adapter: 'lexical'; readonly dimensions: number; readonly batchSize: number }
  | ({ readonly adapter: 'openai'; readonly dimensions: number; readonly batchSize: number; readonly inputTypeField: string | undefined } & ModelServerSettings);
export type GeneratorSettings =
  | { readonly adapter: 'extractive' }
  | ({ readonly adapter: 'openai'; readonly maxTokens: number; readonly temperature: number } & ModelServerSettings);

/** The typed configuration the code reads; nothing else reads the environment. */
export interface AppConfig {
  readonly profile: Environment['PROFILE'];
  readonly server: { readonly host: string; readonly port: number; readonly bodyLimitBytes: number };
  readonly dataDir: string;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly defaultTenant: string;
  /** The secret of the first administrator key, created on a store with no keys; generated when unset. */
  readonly bootstrapAdminKey: string | undefined;
  readonly cache: CacheSettings;
  readonly vectorIndex: VectorIndexSettings;
  readonly keywordIndex: KeywordIndexSettings;
  readonly sql: SqlSettings;
  readonly embedder: EmbedderSettings;
  readonly generator: GeneratorSettings;
  readonly retrieval: {
    readonly deadlineMs: number;
    readonly storeTimeoutMs: number;
    readonly rrfK: number;
    readonly fusionMethod: 'rrf' | 'convex';
    readonly fusionWeights: { readonly keyword: number; readonly vector: number };
    readonly defaultTopK: number;
    readonly maxTopK: number;
    readonly maxQueryChars: number;
  };
  /** The `navigate` walk's budget (defaults and the most a request may ask for), its start, and `auto`'s threshold. */
  readonly navigation: {
    readonly budget: { readonly maxModelCalls: number; readonly maxTokens: number; readonly maxMs: number };
    readonly maxDocuments: number;
    readonly longDocumentChunks: number;
  };
  /** Tokens from an OIDC issuer, accepted beside API keys when all three of issuer, audience and JWKS URL are set. */
  readonly jwt: {
    readonly issuer: string;
    readonly audience: string;
    readonly jwksUrl: string;
    readonly tenantClaim: string;
    readonly groupsClaim: string;
    readonly scopesClaim: string;
  } | null;
  readonly rateLimits: { readonly perCallerPerMinute: number; readonly perTenantPerMinute: number };
  /** How personal data (ID, card, mobile numbers, e-mail) appears in logs, traces, the ledger and sessions. */
  readonly privacy: { readonly policy: 'mask' | 'hash' | 'keep'; readonly hashSecret: string | undefined; readonly inAnswers: 'keep' | 'mask' };
  readonly answering: {
    /** Share of a sentence's terms its cited text must contain for the sentence to stand. */
    readonly minSupport: number;
    /** Earlier question-and-answer pairs a follow-up is read with. */
    readonly historyTurns: number;
  };
  readonly ingest: {
    readonly maxDocumentBytes: number;
    /** Limits a document must keep to be parsed; past one it is recorded as failed, naming the setting. */
    readonly maxPdfPages: number;
    readonly maxHtmlDepth: number;
    readonly parseTimeoutMs: number;
    readonly maxDocxExpandedBytes: number;
    /** Documents in one batch request. */
    readonly maxBatchDocuments: number;
    /** Whether the ingest service runs an index worker in its own process. */
    readonly runWorker: boolean;
  };
  readonly worker: {
    readonly pollMs: number;
    readonly batchSize: number;
    readonly maxAttempts: number;
    readonly leaseMs: number;
  };
  readonly observability: {
    /** Where traces go by OTLP over HTTP; null keeps them in the process (ids in logs only). */
    readonly otlpEndpoint: string | null;
    /** The service name on exported spans; null lets each process name itself. */
    readonly serviceName: string | null;
    /** How often the outbox gauges are read from the SQL store. */
    readonly outboxPollMs: number;
    /** The worker's /metrics port; null serves none. */
    readonly metricsPort: number | null;
  };
  readonly resilience: {
    readonly requestDeadlineMs: number;
    readonly sqlTimeoutMs: number;
    readonly breakerFailures: number;
    readonly breakerHalfOpenMs: number;
    readonly shutdownGraceMs: number;
    /** Append-only file of ledger rows kept while SQL is down, replayed in order when it returns. */
    readonly ledgerSpoolFile: string;
  };
}

/** JSON escaping roughly doubles the worst case, and the envelope adds a little. */
const BODY_OVERHEAD_BYTES = 64 * 1024;

export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration. ${problems.join('; ')}`, { problems });
  }
  const jwtParts = [parsed.data.JWT_ISSUER, parsed.data.JWT_AUDIENCE, parsed.data.JWT_JWKS_URL];
  if (jwtParts.some((part) => part !== undefined) && jwtParts.some((part) => part === undefined)) {
    throw new AppError('CONFIG_INVALID', 'Invalid configuration. JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL are needed together to accept tokens.');
  }
  const missing = REQUIRED_WHEN.filter((rule) => rule.resolve(parsed.data) === rule.adapter && parsed.data[rule.setting] === undefined);
  if (missing.length > 0) {
    const problems = missing.map((rule) => `${rule.setting} is required when ${rule.port} is ${rule.adapter} (PROFILE=${parsed.data.PROFILE})`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration. ${problems.join('; ')}`, { problems });
  }
  return toAppConfig(parsed.data);
}

function toAppConfig(env: Environment): AppConfig {
  const dataDir = resolve(env.DATA_DIR);
  return {
    profile: env.PROFILE,
    server: { host: env.HOST, port: env.PORT, bodyLimitBytes: env.MAX_DOCUMENT_BYTES * 2 + BODY_OVERHEAD_BYTES },
    dataDir,
    logLevel: env.LOG_LEVEL,
    defaultTenant: env.DEFAULT_TENANT,
    bootstrapAdminKey: env.BOOTSTRAP_ADMIN_KEY,
    cache: cacheSettings(env),
    vectorIndex: vectorIndexSettings(env, dataDir),
    keywordIndex: keywordIndexSettings(env, dataDir),
    sql: sqlSettings(env, dataDir),
    embedder: embedderSettings(env),
    generator: generatorSettings(env),
    retrieval: {
      deadlineMs: env.SEARCH_DEADLINE_MS,
      storeTimeoutMs: env.STORE_TIMEOUT_MS,
      rrfK: env.RRF_K,
      fusionMethod: env.FUSION_METHOD,
      fusionWeights: { keyword: env.FUSION_WEIGHT_KEYWORD, vector: env.FUSION_WEIGHT_VECTOR ?? (env.EMBEDDER_ADAPTER === 'lexical' ? 0 : 1) },
      defaultTopK: env.DEFAULT_TOP_K,
      maxTopK: env.MAX_TOP_K,
      maxQueryChars: env.MAX_QUERY_CHARS,
    },
    navigation: {
      budget: { maxModelCalls: env.NAVIGATE_MAX_MODEL_CALLS, maxTokens: env.NAVIGATE_MAX_TOKENS, maxMs: env.NAVIGATE_MAX_MS },
      maxDocuments: env.NAVIGATE_MAX_DOCUMENTS,
      longDocumentChunks: env.AUTO_LONG_DOCUMENT_CHUNKS,
    },
    jwt: jwtSettings(env),
    rateLimits: { perCallerPerMinute: env.RATE_LIMIT_PER_KEY_PER_MINUTE, perTenantPerMinute: env.RATE_LIMIT_PER_TENANT_PER_MINUTE },
    privacy: { policy: env.PII_POLICY, hashSecret: env.PII_HASH_SECRET, inAnswers: env.PII_IN_ANSWERS },
    answering: { minSupport: env.VERIFY_MIN_SUPPORT, historyTurns: env.SESSION_HISTORY_TURNS },
    ingest: {
      maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
      maxPdfPages: env.MAX_PDF_PAGES,
      maxHtmlDepth: env.MAX_HTML_DEPTH,
      parseTimeoutMs: env.PARSE_TIMEOUT_MS,
      maxDocxExpandedBytes: env.MAX_DOCX_EXPANDED_BYTES,
      maxBatchDocuments: env.MAX_BATCH_DOCUMENTS,
      runWorker: env.INGEST_RUN_WORKER === 'true',
    },
    worker: {
      pollMs: env.WORKER_POLL_MS,
      batchSize: env.WORKER_BATCH_SIZE,
      maxAttempts: env.WORKER_MAX_ATTEMPTS,
      leaseMs: env.WORKER_LEASE_MS,
    },
    observability: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, serviceName: env.OTEL_SERVICE_NAME ?? null, outboxPollMs: env.OUTBOX_METRICS_POLL_MS, metricsPort: env.METRICS_PORT ?? null },
    resilience: {
      requestDeadlineMs: env.REQUEST_DEADLINE_MS,
      sqlTimeoutMs: env.SQL_TIMEOUT_MS,
      breakerFailures: env.BREAKER_FAILURES,
      breakerHalfOpenMs: env.BREAKER_HALF_OPEN_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      ledgerSpoolFile: resolve(dataDir, 'ledger-spool.jsonl'),
    },
  };
}

// The required URLs were checked in loadConfig; `?? ''` only satisfies the compiler.
function cacheSettings(env: Environment): CacheSettings {
  const common = { ttlSeconds: env.CACHE_TTL_SECONDS, maxEntries: env.CACHE_MAX_ENTRIES };
  const adapter = env.CACHE_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].cache;
  return adapter === 'redis' ? { adapter, ...common, url: env.REDIS_URL ?? '', keyPrefix: env.REDIS_KEY_PREFIX } : { adapter, ...common };
}

function vectorIndexSettings(env: Environment, dataDir: string): VectorIndexSettings {
  const adapter = env.VECTOR_INDEX_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].vectorIndex;
  return adapter === 'milvus'
    ? { adapter, address: env.MILVUS_ADDRESS ?? '', token: env.MILVUS_TOKEN, collection: env.MILVUS_COLLECTION }
    : { adapter, directory: resolve(dataDir, 'vector-index') };
}

function keywordIndexSettings(env: Environment, dataDir: string): KeywordIndexSettings {
  const adapter = env.KEYWORD_INDEX_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].keywordIndex;
  return adapter === 'elasticsearch' ? { adapter, url: env.ELASTICSEARCH_URL ?? '', index: env.ELASTICSEARCH_INDEX } : { adapter, directory: resolve(dataDir, 'keyword-index'), scoredRows: env.EMBEDDED_KEYWORD_SCORED_ROWS };
}

function sqlSettings(env: Environment, dataDir: string): SqlSettings {
  const adapter = env.SQL_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].sql;
  return adapter === 'mysql' ? { adapter, url: env.MYSQL_URL ?? '' } : { adapter, sqliteFile: resolve(dataDir, 'rag.sqlite') };
}

function embedderSettings(env: Environment): EmbedderSettings {
  const batchSize = env.EMBED_BATCH_SIZE;
  if (env.EMBEDDER_ADAPTER === 'lexical') return { adapter: 'lexical', dimensions: env.LEXICAL_EMBEDDER_DIMENSIONS, batchSize };
  return {
    adapter: 'openai',
    dimensions: env.EMBEDDING_DIMENSIONS ?? 0,
    batchSize,
    inputTypeField: env.EMBEDDING_INPUT_TYPE_FIELD,
    url: env.EMBEDDING_URL ?? '',
    model: env.EMBEDDING_MODEL ?? '',
    apiKey: env.EMBEDDING_API_KEY,
    timeoutMs: env.EMBEDDING_TIMEOUT_MS,
    concurrency: env.EMBEDDING_CONCURRENCY,
  };
}

function generatorSettings(env: Environment): GeneratorSettings {
  if (env.GENERATOR_ADAPTER === 'extractive') return { adapter: 'extractive' };
  return {
    adapter: 'openai',
    url: env.CHAT_URL ?? '',
    model: env.CHAT_MODEL ?? '',
    apiKey: env.CHAT_API_KEY,
    maxTokens: env.CHAT_MAX_TOKENS,
    temperature: env.CHAT_TEMPERATURE,
    timeoutMs: env.CHAT_TIMEOUT_MS,
    concurrency: env.CHAT_CONCURRENCY,
  };
}

function jwtSettings(env: Environment): AppConfig['jwt'] {
  if (env.JWT_ISSUER === undefined || env.JWT_AUDIENCE === undefined || env.JWT_JWKS_URL === undefined) return null;
  return { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, jwksUrl: env.JWT_JWKS_URL, tenantClaim: env.JWT_TENANT_CLAIM, groupsClaim: env.JWT_GROUPS_CLAIM, scopesClaim: env.JWT_SCOPES_CLAIM };
}
