import { createHash } from 'node:crypto';
import { aclFingerprint, type AccessScope, type RetrievalMode } from '@rag/core';

export interface CacheKeyParts {
  readonly kind: 'search' | 'chat';
  readonly scope: AccessScope;
  readonly mode: RetrievalMode;
  readonly collection: string | undefined;
  readonly topK: number;
  /** The query after normalizeText, so equivalent spellings share an entry. */
  readonly normalizedQuery: string;
  /**
   * How retrieval is configured (fusion, embedding model): a deployment that changes it must not
   * be served answers ranked the old way from a shared cache until their TTL runs out.
   */
  readonly retrievalFingerprint: string;
  /** Anything else the request asked for that changes the result, such as a navigation budget. */
  readonly variant?: string;
}

/**
 * The cache key of a request. It includes everything that changes the answer; the tenant is the
 * cache's namespace and the corpus generation is checked by the cache itself.
 */
export function cacheKeyOf(parts: CacheKeyParts): string {
  const fields = [parts.kind, aclFingerprint(parts.scope), parts.mode, parts.collection ?? '', String(parts.topK), parts.normalizedQuery, parts.retrievalFingerprint, ...(parts.variant ? [parts.variant] : [])];
  return `${parts.kind}:${createHash('sha256').update(fields.join('\u0000')).digest('base64url')}`;
}
