import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Deployment } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

const ISSUER = 'https://login.lanting-bank.test';
const AUDIENCE = 'bank-rag';

describe('tokens from an OIDC issuer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-jwt-'));
  const adminKey = `rag_${randomBytes(32).toString('base64url')}`;
  let issuerKey: CryptoKey;
  let jwks: Server;
  let service: Deployment;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    issuerKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address();
    const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
    service = await startEmbedded(dataDir, { BOOTSTRAP_ADMIN_KEY: adminKey, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: jwksUrl });
    const admin = new HttpClient(service.gatewayUrl, service.ingestUrl, adminKey);
    for (const [externalId, groups, text] of [['public', [], 'The alpha card limit is CNY 5000.'], ['board', ['board'], 'The alpha board reserve is CNY 9 billion.']] as const) {
      const { body } = await admin.post<{ documentId: string }>('/v1/documents', { externalId, title: externalId, content: text, acl: { groups } });
      for (let i = 0; i < 100 && (await admin.get<{ status: string }>(`/v1/documents/${body.documentId}`)).body.status !== 'indexed'; i++) await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await service?.stop();
    jwks?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function token(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string; key?: CryptoKey } = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject('u-1001')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? issuerKey);
  }

  async function searchAs(bearer: string): Promise<{ status: number; texts: string[] }> {
    const { status, body } = await new HttpClient(service.gatewayUrl, service.ingestUrl, bearer).post<{ hits?: { text: string }[] }>('/v1/search', { query: 'alpha reserve limit', mode: 'keyword' });
    return { status, texts: (body.hits ?? []).map((hit) => hit.text) };
  }

  it('accepts a valid token and applies its tenant and groups inside retrieval', async () => {
    const teller = await searchAs(await token({ tenant: 'default', groups: ['tellers'], scope: 'query' }));
    expect(teller.status).toBe(200);
    expect(teller.texts).toEqual(['The alpha card limit is CNY 5000.']);
    const board = await searchAs(await token({ tenant: 'default', groups: ['board'], scope: 'openid query' }));
    expect(board.texts.sort()).toEqual(['The alpha board reserve is CNY 9 billion.', 'The alpha card limit is CNY 5000.']);
    const otherTenant = await searchAs(await token({ tenant: 'bank-b', groups: ['board'], scope: 'query' }));
    expect(otherTenant.texts).toEqual([]);
  });

  it('refuses tokens that are expired, for another audience, signed by another key, or without a tenant', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    const refused = [
      await token({ tenant: 'default', scope: 'query' }, { expiresIn: '-1m' }),
      await token({ tenant: 'default', scope: 'query' }, { audience: 'another-app' }),
      await token({ tenant: 'default', scope: 'query' }, { key: stranger }),
      await token({ scope: 'query' }),
      await token({ tenant: 'Not A Tenant!', scope: 'query' }),
    ];
    for (const bearer of refused) expect((await searchAs(bearer)).status).toBe(401);
    expect((await searchAs(await token({ tenant: 'default', scope: 'ingest platform' }))).status).toBe(403);
  });
});
