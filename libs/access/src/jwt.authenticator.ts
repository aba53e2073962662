import { SCOPES, toTenantId, type Authenticator, type Principal, type Scope } from '@rag/core';
import type { AppConfig } from '@rag/config';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

type JwtSettings = NonNullable<AppConfig['jwt']>;

/** Tokens may carry these scopes; `platform` stays with API keys issued on purpose. */
const TOKEN_SCOPES: readonly Scope[] = SCOPES.filter((scope) => scope !== 'platform');

/**
 * Bearer tokens from an OIDC issuer: signature checked against the issuer's JWKS (fetched and
 * cached by jose), issuer, audience and expiry verified; tenant, groups and scopes read from claims.
 * A token without a valid tenant claim is refused rather than placed in a default tenant.
 */
export class JwtAuthenticator implements Authenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: JwtSettings) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  }

  async authenticate(credential: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(credential, this.keys, { issuer: this.settings.issuer, audience: this.settings.audience });
      return this.principalOf(payload);
    } catch {
      return null;
    }
  }

  private principalOf(payload: JWTPayload): Principal | null {
    const tenant = payload[this.settings.tenantClaim];
    if (typeof tenant !== 'string' || typeof payload.sub !== 'string') return null;
    try {
      return { tenantId: toTenantId(tenant), subject: `jwt:${payload.sub}`, groups: stringsOf(payload[this.settings.groupsClaim]), scopes: scopesOf(payload[this.settings.scopesClaim]) };
    } catch {
      return null;
    }
  }
}

/** Recognises a compact JWS (three base64url parts); anything else is tried as an API key. */
export function looksLikeJwt(credential: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential);
}

function stringsOf(claim: unknown): string[] {
  return Array.isArray(claim) ? claim.filter((value): value is string => typeof value === 'string') : [];
}

/** OAuth's `scope` is one space-separated string; some issuers send an array instead. */
function scopesOf(claim: unknown): Scope[] {
  const values = typeof claim === 'string' ? claim.split(' ') : stringsOf(claim);
  return values.filter((value): value is Scope => (TOKEN_SCOPES as readonly string[]).includes(value));
}
