import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Deployment } from '../support/deployment.ts';

describe('rate limits per key and per tenant', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-rate-'));
  const adminKey = `rag_${randomBytes(32).toString('base64url')}`;
  let service: Deployment;

  beforeAll(async () => {
    service = await startEmbedded(dataDir, { BOOTSTRAP_ADMIN_KEY: adminKey, RATE_LIMIT_PER_KEY_PER_MINUTE: '5', RATE_LIMIT_PER_TENANT_PER_MINUTE: '8' });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const search = (key: string) => fetch(`${service.gatewayUrl}/v1/search`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: 'limit' }) });

  it('answers 429 with Retry-After past a key’s budget, and past the tenant’s across keys', async () => {
    const issued = await fetch(`${service.gatewayUrl}/v1/admin/keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ name: 'bot', scopes: ['query'] }) });
    const { secret } = (await issued.json()) as { secret: string };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await search(secret)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await search(secret);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    // The admin key has its own budget, but the tenant's runs out: 8 a minute, of which the issuing
    // call and the bot's 5 accepted searches used 6 (refused requests take nothing from the tenant).
    expect([(await search(adminKey)).status, (await search(adminKey)).status, (await search(adminKey)).status]).toEqual([200, 200, 429]);
    expect((await fetch(`${service.gatewayUrl}/healthz`)).status).toBe(200);
  });
});
