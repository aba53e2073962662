import { resolve } from 'node:path';
import { AppError } from '@rag/core';
import { environmentSchema, type Environment } from './app-config.schema';

/** The typed configuration the code reads; nothing else reads the environment. */
export interface AppConfig {
  readonly profile: Environment['PROFILE'];
  readonly server: { readonly host: string; readonly port: number; readonly bodyLimitBytes: number };
  readonly dataDir: string;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly defaultTenant: string;
  readonly cache: { readonly adapter: Environment['CACHE_ADAPTER']; readonly ttlSeconds: number; readonly maxEntries: number };
  readonly vectorIndex: { readonly adapter: Environment['VECTOR_INDEX_ADAPTER']; readonly directory: string };
  readonly keywordIndex: { readonly adapter: Environment['KEYWORD_INDEX_ADAPTER']; readonly directory: string };
  readonly sql: { readonly adapter: Environment['SQL_ADAPTER']; readonly sqliteFile: string };
  readonly embedder: { readonly adapter: Environment['EMBEDDER_ADAPTER']; readonly dimensions: number; readonly batchSize: number };
  readonly generator: { readonly adapter: Environment['GENERATOR_ADAPTER'] };
  readonly retrieval: {
    readonly deadlineMs: number;
    readonly storeTimeoutMs: number;
    readonly rrfK: number;
    readonly defaultTopK: number;
    readonly maxTopK: number;
    readonly maxQueryChars: number;
  };
  readonly ingest: { readonly maxDocumentBytes: number };
  readonly worker: {
    readonly pollMs: number;
    readonly batchSize: number;
    readonly maxAttempts: number;
    readonly leaseMs: number;
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
    cache: { adapter: env.CACHE_ADAPTER, ttlSeconds: env.CACHE_TTL_SECONDS, maxEntries: env.CACHE_MAX_ENTRIES },
    vectorIndex: { adapter: env.VECTOR_INDEX_ADAPTER, directory: resolve(dataDir, 'vector-index') },
    keywordIndex: { adapter: env.KEYWORD_INDEX_ADAPTER, directory: resolve(dataDir, 'keyword-index') },
    sql: { adapter: env.SQL_ADAPTER, sqliteFile: resolve(dataDir, 'rag.sqlite') },
    embedder: { adapter: env.EMBEDDER_ADAPTER, dimensions: env.LEXICAL_EMBEDDER_DIMENSIONS, batchSize: env.EMBED_BATCH_SIZE },
    generator: { adapter: env.GENERATOR_ADAPTER },
    retrieval: {
      deadlineMs: env.SEARCH_DEADLINE_MS,
      storeTimeoutMs: env.STORE_TIMEOUT_MS,
      rrfK: env.RRF_K,
      defaultTopK: env.DEFAULT_TOP_K,
      maxTopK: env.MAX_TOP_K,
      maxQueryChars: env.MAX_QUERY_CHARS,
    },
    ingest: { maxDocumentBytes: env.MAX_DOCUMENT_BYTES },
    worker: {
      pollMs: env.WORKER_POLL_MS,
      batchSize: env.WORKER_BATCH_SIZE,
      maxAttempts: env.WORKER_MAX_ATTEMPTS,
      leaseMs: env.WORKER_LEASE_MS,
    },
  };
}
