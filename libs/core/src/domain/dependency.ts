/**
 * What a request depends on, named by role rather than product so a client reads the same names
 * on both profiles: cache (Redis or in-process), vector (Milvus or hnswlib), keyword
 * (Elasticsearch or FTS5), sql (MySQL or SQLite), embedder and generator (the model servers).
 */
export const DEPENDENCY_ROLES = ['cache', 'vector', 'keyword', 'sql', 'embedder', 'generator'] as const;
export type DependencyRole = (typeof DEPENDENCY_ROLES)[number];

/** A response's `degraded` list, in one stable order whatever order the failures happened in. */
export function degradedList(roles: Iterable<DependencyRole>): DependencyRole[] {
  const present = new Set(roles);
  return DEPENDENCY_ROLES.filter((role) => present.has(role));
}
