import { createHash } from 'node:crypto';

/**
 * Collection and group names are arbitrary strings (quotes, backslashes, Chinese). Stored and
 * filtered as fixed-length digests they never need escaping in a Milvus filter expression and
 * always fit their VarChar field.
 */
export function filterKey(kind: 'c' | 'g', value: string): string {
  return `${kind}${createHash('sha256').update(value).digest('hex').slice(0, 24)}`;
}
