import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment, type ProfileName } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

interface SeedDocument {
  readonly tenant: 'default' | 'bank-b';
  readonly externalId: string;
  readonly groups: readonly string[];
  readonly marker: string;
}

/** Each document carries a marker word found nowhere else, so every hit says where it came from. */
const MARKERS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const SEED: SeedDocument[] = [
  { tenant: 'default', externalId: 'a-public', groups: [], marker: 'alpha' },
  { tenant: 'default', externalId: 'a-tellers', groups: ['tellers'], marker: 'bravo' },
  { tenant: 'default', externalId: 'a-board', groups: ['board'], marker: 'charlie' },
  { tenant: 'bank-b', externalId: 'b-public', groups: [], marker: 'delta' },
  { tenant: 'bank-b', externalId: 'b-tellers', groups: ['tellers'], marker: 'echo' },
  { tenant: 'bank-b', externalId: 'b-board', groups: ['board'], marker: 'foxtrot' },
];

function content(doc: SeedDocument): string {
  return `# Notice ${doc.marker}\n\n## Limits\n\nThe ${doc.marker} limit for card payments is CNY 5000 per day. 账户${doc.marker}的每日限额为五千元。\n\n## Contact\n\nCall the ${doc.marker} desk for help with wire transfers and card limits.`;
}

interface Caller {
  readonly name: string;
  readonly tenant: 'default' | 'bank-b';
  readonly client: HttpClient;
  /** Markers this caller may see. */
  readonly visible: ReadonlySet<string>;
}

describe.each(PROFILES)('access control and isolation, profile %s', (profile) => {
  let service: Deployment;
  let admin: HttpClient;
  const callers: Caller[] = [];
  const markerOfDocument = new Map<string, string>();

  async function issue(body: Record<string, unknown>): Promise<string> {
    const { status, body: issued } = await admin.post<{ secret: string }>('/v1/admin/keys', body);
    expect(status).toBe(201);
    return issued.secret;
  }

  beforeAll(async () => {
    service = await startDeployment(profile);
    admin = new HttpClient(service.gatewayUrl, service.ingestUrl, service.adminKey);
    const ingestKeys = {
      default: await issue({ name: 'ingest a', scopes: ['ingest'], groups: [] }),
      'bank-b': await issue({ name: 'ingest b', tenantId: 'bank-b', scopes: ['ingest', 'query'], groups: [] }),
    };
    for (const doc of SEED) {
      const client = admin.as(ingestKeys[doc.tenant]);
      const { status, body } = await client.post<{ documentId: string }>('/v1/documents', { collection: 'iso', externalId: doc.externalId, title: `Notice ${doc.marker}`, content: content(doc), contentType: 'text/markdown', acl: { groups: doc.groups } });
      expect(status).toBe(202);
      markerOfDocument.set(body.documentId, doc.marker);
    }
    for (const documentId of markerOfDocument.keys()) {
      const tenantKey = SEED.find((d) => markerOfDocument.get(documentId) === d.marker)?.tenant === 'bank-b' ? ingestKeys['bank-b'] : ingestKeys.default;
      await waitIndexed(admin.as(tenantKey), documentId);
    }
    const profiles: [string, 'default' | 'bank-b', string[], string[]][] = [
      ['a-customer-bot', 'default', [], ['alpha']],
      ['a-teller', 'default', ['tellers'], ['alpha', 'bravo']],
      ['a-board-member', 'default', ['board', 'tellers'], ['alpha', 'bravo', 'charlie']],
      ['b-teller', 'bank-b', ['tellers'], ['delta', 'echo']],
      ['b-board-member', 'bank-b', ['board'], ['delta', 'foxtrot']],
    ];
    for (const [name, tenant, groups, visible] of profiles) {
      const secret = await issue({ name, tenantId: tenant, scopes: ['query'], groups, subject: name });
      callers.push({ name, tenant, client: admin.as(secret), visible: new Set(visible) });
    }
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function waitIndexed(client: HttpClient, documentId: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await client.get<{ status: string }>(`/v1/documents/${documentId}`)).body.status === 'indexed') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${documentId} was not indexed`);
  }

  function leaked(caller: Caller, documentIds: readonly string[]): string[] {
    return documentIds.filter((id) => !caller.visible.has(markerOfDocument.get(id) ?? 'unknown-document'));
  }

  it('refuses requests without a valid key, and callers without the scope', async () => {
    const anonymous = admin.as(null);
    expect((await anonymous.post('/v1/search', { query: 'alpha' })).status).toBe(401);
    expect((await admin.as('rag_not-a-real-key').post('/v1/chat', { query: 'alpha' })).status).toBe(401);
    expect((await anonymous.get('/healthz')).status).toBe(200);
    const teller = callers.find((c) => c.name === 'a-teller')!;
    expect((await teller.client.post('/v1/documents', { externalId: 'x', title: 'x', content: 'x' })).status).toBe(403);
    expect((await teller.client.post('/v1/admin/keys', { name: 'x', scopes: ['admin'] })).status).toBe(403);
  });

  it('keeps a tenant administrator inside its tenant, and never grants more than it holds', async () => {
    const tenantAdmin = admin.as(await issue({ name: 'a-admin', scopes: ['admin', 'query'], groups: [] }));
    expect((await tenantAdmin.post('/v1/admin/keys', { name: 'b', tenantId: 'bank-b', scopes: ['query'] })).status).toBe(403);
    expect((await tenantAdmin.post('/v1/admin/keys', { name: 'ingest', scopes: ['ingest'] })).status).toBe(403);
    expect((await tenantAdmin.post('/v1/admin/keys', { name: 'reader', scopes: ['query'] })).status).toBe(201);
    const audit = await tenantAdmin.get<{ action: string }[]>('/v1/admin/audit');
    expect(audit.body.map((e) => e.action)).toContain('api_key.issue');
  });

  it('stops accepting a revoked or rotated key', async () => {
    const created = await admin.post<{ key: { id: string }; secret: string }>('/v1/admin/keys', { name: 'temp', scopes: ['query'] });
    const temp = admin.as(created.body.secret);
    expect((await temp.post('/v1/search', { query: 'alpha' })).status).toBe(200);
    const rotated = await admin.post<{ secret: string }>(`/v1/admin/keys/${created.body.key.id}/rotate`, {});
    expect(rotated.status).toBe(201);
    expect((await temp.post('/v1/search', { query: 'alpha' })).status).toBe(401);
    expect((await admin.as(rotated.body.secret).post('/v1/search', { query: 'alpha' })).status).toBe(200);
    const list = await admin.get<{ id: string; revokedAt: number | null; prefix: string }[]>('/v1/admin/keys');
    expect(list.body.find((k) => k.id === created.body.key.id)?.revokedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(rotated.body.secret);
  });

  it('leaks no chunk across tenants or groups over 1,000 generated requests through every path', async () => {
    let requests = 0;
    const leaks: string[] = [];
    const seen = new Map<string, Set<string>>();
    const note = (caller: Caller, documentIds: readonly string[]) => {
      for (const id of documentIds) seen.set(caller.name, (seen.get(caller.name) ?? new Set()).add(markerOfDocument.get(id) ?? id));
    };
    const queries = MARKERS.flatMap((m) => [m, `${m} limit`, `what is the ${m} card limit`, `账户${m}的每日限额`, `${m} desk wire transfers`]);
    for (let round = 0; requests < 1000; round++) {
      for (const caller of callers) {
        const query = queries[(round * 7 + callers.indexOf(caller)) % queries.length] as string;
        const mode = (['hybrid', 'keyword', 'vector'] as const)[round % 3];
        const search = await caller.client.post<{ hits: { documentId: string }[] }>('/v1/search', { query, mode, collection: 'iso', topK: 10 });
        const chat = await caller.client.post<{ requestId: string; citations: { documentId: string }[] }>('/v1/chat', { query, mode });
        requests += 2;
        leaks.push(...leaked(caller, search.body.hits.map((h) => h.documentId)), ...leaked(caller, chat.body.citations.map((c) => c.documentId)));
        note(caller, search.body.hits.map((h) => h.documentId));
        if (round % 5 === 0) {
          const stream = await caller.client.stream('/v1/chat', { query, stream: true });
          const streamed = stream.events.flatMap((e) => (e.event === 'retrieval' ? (e.data.hits as { documentId: string }[]) : e.event === 'citation' ? [e.data.citation as { documentId: string }] : []));
          const replay = await caller.client.post<{ citations: { documentId: string }[] }>(`/v1/ledger/${chat.body.requestId}/replay`, {});
          requests += 2;
          leaks.push(...leaked(caller, streamed.map((h) => h.documentId)), ...leaked(caller, replay.body.citations.map((c) => c.documentId)));
        }
      }
    }
    expect(requests).toBeGreaterThanOrEqual(1000);
    expect(leaks).toEqual([]);
    // The suite proves something only if every caller did find what it may read.
    for (const caller of callers) expect([...(seen.get(caller.name) ?? [])].sort()).toEqual([...caller.visible].sort());
  });

  it('does not let one caller read or replay another caller’s ledger rows', async () => {
    const [bot, teller] = [callers[0]!, callers[1]!];
    const { body } = await teller.client.post<{ requestId: string }>('/v1/chat', { query: 'bravo limit' });
    expect((await teller.client.get(`/v1/ledger/${body.requestId}`)).status).toBe(200);
    expect((await bot.client.get(`/v1/ledger/${body.requestId}`)).status).toBe(404);
    expect((await bot.client.post(`/v1/ledger/${body.requestId}/replay`, {})).status).toBe(404);
    expect((await callers[3]!.client.get(`/v1/ledger/${body.requestId}`)).status).toBe(404);
  });
});
