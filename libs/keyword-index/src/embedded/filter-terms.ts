import { createHash } from 'node:crypto';

/**
 * Tenant, collection and ACL values become opaque index terms, so any string (spaces, quotes,
 * Chinese group names) can be filtered on inside the full-text query without escaping.
 */
export function filterTerm(kind: 't' | 'c' | 'g', ...values: readonly string[]): string {
  const digest = createHash('sha256').update(values.join('\u0000')).digest('hex').slice(0, 24);
  return `${kind}${digest}`;
}
