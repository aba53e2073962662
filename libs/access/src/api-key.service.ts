import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError, toTenantId, type ApiKeyRecord, type Authenticator, type Principal, type Scope, type SqlStore, type TenantId } from '@rag/core';
import { LRUCache } from 'lru-cache';

export interface IssueKeyInput {
  /** Another tenant than the caller's needs the `platform` scope. */
  readonly tenantId?: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly groups: readonly string[];
  readonly subject?: string;
  readonly expiresInDays?: number;
}

export interface IssuedKey {
  readonly key: ApiKeyRecord;
  /** The key itself: shown once, never stored. */
  readonly secret: string;
}

const SECRET_PREFIX = 'rag_';
const PREFIX_LENGTH = 12;
/** Resolved keys are reused this long, so a cache hit costs no SQL round trip; revocation takes effect within it. */
const RESOLVE_CACHE_MS = 10_000;
/** How long a key keeps working from memory during a SQL outage. */
const LAST_KNOWN_MS = 60 * 60_000;

/**
 * API keys: hashed in SQL (SHA-256 of a 256-bit random secret, so a fast hash is enough), bound to
 * one tenant, scoped, with ACL groups, rotatable and revocable. Every change is audited.
 */
export class ApiKeyService implements Authenticator {
  private readonly resolved: LRUCache<string, { key: ApiKeyRecord | null }>;
  /** Valid keys as last read from SQL, used only while SQL cannot be reached. */
  private readonly lastKnown = new LRUCache<string, ApiKeyRecord>({ max: 10_000, ttl: LAST_KNOWN_MS });

  constructor(
    private readonly sqlStore: SqlStore,
    resolveCacheMs = RESOLVE_CACHE_MS,
  ) {
    this.resolved = new LRUCache({ max: 10_000, ttl: resolveCacheMs });
  }

  /** A key read from memory (cached, or last known during a SQL outage) is still checked for expiry. */
  async authenticate(credential: string): Promise<Principal | null> {
    const hash = hashSecret(credential);
    const key = await this.keyByHash(hash);
    return key && isUsable(key, Date.now()) ? principalOf(key) : null;
  }

  private async keyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const cached = this.resolved.get(hash);
    if (cached) return cached.key;
    let key: ApiKeyRecord | null;
    try {
      key = await this.sqlStore.findApiKeyByHash(hash);
    } catch (error) {
      // SQL is down: a key this process resolved recently still works (nobody can revoke one
      // meanwhile, since revoking needs SQL too); an unknown key cannot be checked and fails as 503.
      const known = this.lastKnown.get(hash);
      if (known) return known;
      throw error;
    }
    this.resolved.set(hash, { key });
    if (key && isUsable(key, Date.now())) this.lastKnown.set(hash, key);
    else this.lastKnown.delete(hash);
    return key;
  }

  async issue(actor: Principal, input: IssueKeyInput): Promise<IssuedKey> {
    const tenantId = this.targetTenant(actor, input.tenantId);
    assertGrantable(actor, input.scopes, tenantId);
    const issued = newKey(tenantId, input, Date.now());
    await this.sqlStore.insertApiKey(issued.key, hashSecret(issued.secret));
    await this.audit(actor, tenantId, 'api_key.issue', issued.key.id, { name: input.name, scopes: input.scopes, groups: input.groups });
    return issued;
  }

  async list(actor: Principal, tenantId?: string): Promise<ApiKeyRecord[]> {
    return this.sqlStore.listApiKeys(this.targetTenant(actor, tenantId));
  }

  async revoke(actor: Principal, keyId: string, tenantId?: string): Promise<void> {
    const tenant = this.targetTenant(actor, tenantId);
    if (!(await this.sqlStore.revokeApiKey(tenant, keyId, Date.now()))) throw new AppError('NOT_FOUND', `No API key "${keyId}".`, { keyId });
    this.resolved.clear();
    this.lastKnown.clear();
    await this.audit(actor, tenant, 'api_key.revoke', keyId, {});
  }

  /** A new secret with the same settings; the old key is revoked at once. */
  async rotate(actor: Principal, keyId: string, tenantId?: string): Promise<IssuedKey> {
    const tenant = this.targetTenant(actor, tenantId);
    const old = (await this.sqlStore.listApiKeys(tenant)).find((key) => key.id === keyId && key.revokedAt === null);
    if (!old) throw new AppError('NOT_FOUND', `No active API key "${keyId}".`, { keyId });
    const issued = newKey(tenant, { name: old.name, scopes: old.scopes, groups: old.groups, subject: old.subject }, Date.now(), old.expiresAt);
    await this.sqlStore.insertApiKey(issued.key, hashSecret(issued.secret));
    await this.sqlStore.revokeApiKey(tenant, keyId, Date.now());
    this.resolved.clear();
    this.lastKnown.clear();
    await this.audit(actor, tenant, 'api_key.rotate', keyId, { replacedBy: issued.key.id });
    return issued;
  }

  /**
   * On a store with no keys at all, creates the first one: a platform administrator of the default
   * tenant, with the given secret (BOOTSTRAP_ADMIN_KEY) or a generated one that is returned to be
   * shown once. Returns null when keys already exist.
   */
  async bootstrap(defaultTenant: string, secret: string | undefined): Promise<IssuedKey | null> {
    if ((await this.sqlStore.countApiKeys()) > 0) return null;
    const tenantId = toTenantId(defaultTenant);
    const issued = newKey(tenantId, { name: 'bootstrap administrator', scopes: ['query', 'ingest', 'admin', 'platform'], groups: [], subject: 'bootstrap-admin' }, Date.now());
    const withSecret = secret === undefined ? issued : { ...issued, secret };
    try {
      await this.sqlStore.insertApiKey(withSecret.key, hashSecret(withSecret.secret));
    } catch (error) {
      // Another process of the same deployment bootstrapped with the same secret first.
      if (secret !== undefined && (await this.sqlStore.findApiKeyByHash(hashSecret(secret)))) return null;
      throw error;
    }
    await this.sqlStore.appendAudit({ tenantId, actor: 'system', action: 'api_key.bootstrap', target: withSecret.key.id, details: {}, createdAt: Date.now() });
    return withSecret;
  }

  private targetTenant(actor: Principal, tenantId: string | undefined): TenantId {
    if (!actor.scopes.includes('admin') && !actor.scopes.includes('platform')) throw forbidden('managing API keys needs the admin scope');
    if (tenantId === undefined || tenantId === actor.tenantId) return actor.tenantId;
    if (!actor.scopes.includes('platform')) throw forbidden('managing another tenant needs the platform scope');
    return toTenantId(tenantId);
  }

  private async audit(actor: Principal, tenantId: TenantId, action: string, target: string, details: Record<string, unknown>): Promise<void> {
    await this.sqlStore.appendAudit({ tenantId, actor: `${actor.tenantId}/${actor.subject}`, action, target, details, createdAt: Date.now() });
  }
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newKey(tenantId: TenantId, input: IssueKeyInput, now: number, expiresAt?: number | null): IssuedKey {
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const key: ApiKeyRecord = {
    id: `key_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    tenantId,
    name: input.name,
    prefix: secret.slice(0, PREFIX_LENGTH),
    subject: input.subject ?? `key:${input.name}`,
    scopes: [...new Set(input.scopes)],
    groups: [...new Set(input.groups)],
    createdAt: now,
    expiresAt: expiresAt !== undefined ? expiresAt : input.expiresInDays === undefined ? null : now + input.expiresInDays * 86_400_000,
    revokedAt: null,
  };
  return { key, secret };
}

/** Nobody hands out more than they hold, except a platform administrator setting up another tenant. */
function assertGrantable(actor: Principal, scopes: readonly Scope[], tenantId: TenantId): void {
  if (actor.scopes.includes('platform')) return;
  const excess = scopes.filter((scope) => !actor.scopes.includes(scope));
  if (excess.length > 0) throw forbidden(`cannot grant scopes the caller does not hold: ${excess.join(', ')}`);
  if (tenantId !== actor.tenantId) throw forbidden('managing another tenant needs the platform scope');
}

function isUsable(key: ApiKeyRecord, now: number): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
}

function principalOf(key: ApiKeyRecord): Principal {
  return { tenantId: key.tenantId, subject: key.subject, groups: key.groups, scopes: key.scopes };
}

function forbidden(reason: string): AppError {
  return new AppError('FORBIDDEN', `Forbidden: ${reason}.`);
}
