import { describe, expect, it } from 'vitest';
import { accessScopeOf, aclFingerprint, canRead, EVERYONE_GROUP, toTenantId, type Principal } from './tenant';

const teller: Principal = { tenantId: toTenantId('bank-a'), subject: 'u1', groups: ['tellers', 'branch-12'], scopes: ['query'] };

describe('access scopes', () => {
  it('let a reader see documents shared with any of its groups or with everyone', () => {
    const scope = accessScopeOf(teller);
    expect(canRead(scope, ['tellers'])).toBe(true);
    expect(canRead(scope, [EVERYONE_GROUP])).toBe(true);
    expect(canRead(scope, ['board'])).toBe(false);
  });

  it('give administrators every document of their tenant', () => {
    const scope = accessScopeOf({ ...teller, scopes: ['admin'] });
    expect(scope.groups).toBe('all');
    expect(canRead(scope, ['board'])).toBe(true);
  });

  it('fingerprint the same groups the same way whatever their order', () => {
    const a = accessScopeOf(teller);
    const b = accessScopeOf({ ...teller, groups: ['branch-12', 'tellers', 'tellers'] });
    expect(aclFingerprint(a)).toBe(aclFingerprint(b));
    expect(aclFingerprint(a)).not.toBe(aclFingerprint(accessScopeOf({ ...teller, groups: ['tellers'] })));
  });

  it('reject tenant ids that could smuggle syntax into a store query', () => {
    expect(() => toTenantId('bank a')).toThrow(/Invalid tenant id/);
    expect(() => toTenantId('a" OR 1=1')).toThrow(/Invalid tenant id/);
  });
});
