import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, type ProfileName, startDeployment } from '../support/deployment.ts';

const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
}

interface OtlpBody {
  resourceSpans?: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { spans?: Omit<ReceivedSpan, 'service'>[] }[] }[];
}

/** A tiny OTLP/HTTP receiver: the JSON exporter posts to /v1/traces; every span is kept. */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body || '{}') as OtlpBody;
      for (const resource of parsed.resourceSpans ?? []) {
        const service = resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

function traceparent(): { header: string; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  return { header: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}

describe.each(PROFILES)('traces, metrics and logs (%s profile)', (profile) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let deployment: Deployment;

  beforeAll(async () => {
    receiver = await startReceiver();
    deployment = await startDeployment(profile, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200', LOG_LEVEL: 'info', OUTBOX_METRICS_POLL_MS: '200' });
  });

  afterAll(async () => {
    await deployment?.stop();
    receiver?.server.close();
  });

  const call = (url: string, path: string, body: unknown, header: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${deployment.adminKey}`, traceparent: header }, body: JSON.stringify(body) });

  it('carries one trace id from the document request through the outbox to the index write, and through a search to each store', async () => {
    const ingest = traceparent();
    const submitted = await call(deployment.ingestUrl, '/v1/documents', { collection: 'faq', externalId: `otel-${profile}.md`, title: '年费 Annual fee', content: '# 年费\n\n金卡刷卡满 6 次免次年年费。 The gold card fee is waived after six purchases.', contentType: 'text/markdown', acl: { groups: [] } }, ingest.header);
    expect(submitted.status).toBe(202);
    const search = traceparent();
    const { documentId } = (await submitted.json()) as { documentId: string };
    await expect
      .poll(async () => ((await (await fetch(`${deployment.ingestUrl}/v1/documents/${documentId}`, { headers: { authorization: `Bearer ${deployment.adminKey}` } })).json()) as { status: string }).status, { timeout: 20_000 })
      .toBe('indexed');
    expect((await call(deployment.gatewayUrl, '/v1/search', { query: '金卡年费' }, search.header)).status).toBe(200);

    const names = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId).map((span) => span.name);
    await expect.poll(() => names(ingest.traceId), { timeout: 15_000 }).toEqual(expect.arrayContaining(['POST /v1/documents', 'index worker index_version']));
    await expect.poll(() => names(search.traceId), { timeout: 15_000 }).toEqual(expect.arrayContaining(['POST /v1/search', 'search cache', 'search retrieve', 'keyword index search', 'vector index search', 'search hydrate']));
    // The worker's span hangs under the request's span, in whichever process it ran.
    const requestSpan = receiver.spans.find((span) => span.traceId === ingest.traceId && span.name === 'POST /v1/documents');
    const workerSpan = receiver.spans.find((span) => span.traceId === ingest.traceId && span.name === 'index worker index_version');
    expect(workerSpan?.parentSpanId).toBe(requestSpan?.spanId);
    if (profile === 'full') expect(new Set([requestSpan?.service, workerSpan?.service])).toEqual(new Set(['bank-rag-ingest', 'bank-rag-worker']));

    // The access log line of the search names its request id, tenant and trace id.
    const logged = deployment.output().split('\n').filter((line: string) => line.includes(search.traceId) && line.includes('Request served'));
    expect(logged.length).toBe(1);
    expect(JSON.parse(logged[0] as string)).toMatchObject({ tenant: 'default', route: '/v1/search', status: 200, requestId: expect.any(String) as string });
  });

  it('reports stage timings, cache lookups, ingest outcomes and the outbox in /metrics', async () => {
    const gatewayMetrics = await (await fetch(`${deployment.gatewayUrl}/metrics`)).text();
    expect(gatewayMetrics).toMatch(/rag_stage_duration_seconds_count\{route="search",stage="keyword"\} [1-9]/);
    expect(gatewayMetrics).toMatch(/rag_cache_lookups_total\{route="search",result="miss"\} [1-9]/);
    expect(gatewayMetrics).toMatch(/rag_query_responses_total\{route="search",degraded="false"\} [1-9]/);
    const ingestMetrics = await (await fetch(`${deployment.ingestUrl}/metrics`)).text();
    expect(ingestMetrics).toMatch(/rag_ingest_documents_total\{outcome="ingested"\} [1-9]/);
    expect(ingestMetrics).toMatch(/rag_outbox_pending_events 0/);
    expect(ingestMetrics).toMatch(/rag_outbox_dead_events 0/);
  });
});
