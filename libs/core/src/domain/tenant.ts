/** A tenant id that has been validated. The brand makes every store query take one explicitly. */
export type TenantId = string & { readonly __brand: 'TenantId' };

const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function toTenantId(value: string): TenantId {
  if (!TENANT_ID_PATTERN.test(value)) {
    throw new Error(`Invalid tenant id "${value}": use 1-63 lowercase letters, digits, "_" or "-".`);
  }
  return value as TenantId;
}

/** The group every document without an explicit ACL belongs to; every principal is a member. */
export const EVERYONE_GROUP = '*';

export const SCOPES = ['query', 'ingest', 'admin', 'platform'] as const;
/**
 * What a caller may do: `query` (search, chat, its own ledger rows), `ingest` (documents), `admin`
 * (keys, audit, reindex of its tenant), `platform` (keys of any tenant; no access to their data).
 */
export type Scope = (typeof SCOPES)[number];

/** Who is asking: resolved from an API key or a token before anything else happens. */
export interface Principal {
  readonly tenantId: TenantId;
  readonly subject: string;
  readonly groups: readonly string[];
  readonly scopes: readonly Scope[];
}

/**
 * What a reader may see. Every read port takes one, so no query path can leave out the tenant.
 * `groups: 'all'` is for administrators and index maintenance; otherwise a chunk is visible
 * when its ACL shares at least one group with this list.
 */
export interface AccessScope {
  readonly tenantId: TenantId;
  readonly groups: readonly string[] | 'all';
}

export function accessScopeOf(principal: Principal): AccessScope {
  if (principal.scopes.includes('admin')) return { tenantId: principal.tenantId, groups: 'all' };
  const groups = new Set([EVERYONE_GROUP, ...principal.groups]);
  return { tenantId: principal.tenantId, groups: [...groups].sort() };
}

/** A stable fingerprint of what a scope may read, for cache keys. */
export function aclFingerprint(scope: AccessScope): string {
  return scope.groups === 'all' ? 'all' : scope.groups.join('\u0001');
}

export function canRead(scope: AccessScope, aclGroups: readonly string[]): boolean {
  if (scope.groups === 'all') return true;
  const allowed = scope.groups;
  return aclGroups.some((group) => allowed.includes(group));
}
