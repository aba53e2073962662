import { type ApiKeyRecord, type SqlStore, toTenantId } from '@rag/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ApiKeyService, hashSecret } from './api-key.service';

/** Only the one method authentication calls; `failing` turns it into a SQL outage. */
class KeyTable {
  failing = false;
  readonly rows = new Map<string, ApiKeyRecord>();

  asStore(): SqlStore {
    const findApiKeyByHash = (hash: string) => {
      if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306'));
      return Promise.resolve(this.rows.get(hash) ?? null);
    };
    return { findApiKeyByHash } as unknown as SqlStore;
  }
}

function keyRecord(id: string, expiresAt: number | null): ApiKeyRecord {
  return { id, tenantId: toTenantId('bank-a'), name: `柜员 ${id}`, prefix: 'rag_abcdefgh', subject: `teller-${id}`, scopes: ['query'], groups: ['tellers'], createdAt: Date.now(), expiresAt, revokedAt: null };
}

describe('API keys while SQL is down', () => {
  it('keeps a recently resolved key working, but not past its expiry', async () => {
    const table = new KeyTable();
    table.rows.set(hashSecret('rag_lasting'), keyRecord('lasting', null));
    table.rows.set(hashSecret('rag_expiring'), keyRecord('expiring', Date.now() + 200));
    // Resolved keys are cached for 1 ms here, so the outage path is what answers below.
    const service = new ApiKeyService(table.asStore(), 1);
    expect(await service.authenticate('rag_lasting')).toMatchObject({ subject: 'teller-lasting' });
    expect(await service.authenticate('rag_expiring')).toMatchObject({ subject: 'teller-expiring' });

    table.failing = true;
    await sleep(250);

    expect(await service.authenticate('rag_lasting')).toMatchObject({ subject: 'teller-lasting', tenantId: 'bank-a' });
    expect(await service.authenticate('rag_expiring')).toBeNull();
  });

  it('refuses to guess about a key it never resolved', async () => {
    const table = new KeyTable();
    table.failing = true;
    await expect(new ApiKeyService(table.asStore()).authenticate('rag_unknown')).rejects.toThrow('ECONNREFUSED');
  });
});
