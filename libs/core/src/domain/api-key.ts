import type { Scope, TenantId } from './tenant';

/** An API key as stored: only a hash of its secret is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly name: string;
  /** The first characters of the key, shown so people can tell keys apart. */
  readonly prefix: string;
  readonly subject: string;
  readonly scopes: readonly Scope[];
  readonly groups: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

/** One administrative action, appended and never changed. */
export interface AuditEvent {
  readonly tenantId: TenantId;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}
