import { context } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeTraceId, contextFromTraceparent, currentTraceparent, inSpan, startTracing } from './tracing';

const exporter = new InMemorySpanExporter();

describe('trace context through the outbox', () => {
  beforeAll(async () => {
    await startTracing({ serviceName: 'bank-rag-test', otlpEndpoint: null, processors: [new SimpleSpanProcessor(exporter)] });
  });

  it('continues the request’s trace in the span of the work it queued, and fails that span with the error', async () => {
    const stored = await inSpan('POST /v1/documents', context.active(), {}, async () => currentTraceparent());
    expect(stored).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await expect(inSpan('index worker index_version', contextFromTraceparent(stored), {}, async () => Promise.reject(new Error('embedder down')))).rejects.toThrow('embedder down');
    const [request, worker] = exporter.getFinishedSpans();
    expect(worker?.spanContext().traceId).toBe(request?.spanContext().traceId);
    expect(worker?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(worker?.status).toMatchObject({ code: 2, message: 'embedder down' });
  });

  it('gives log lines the active trace id, and none outside a span', async () => {
    expect(activeTraceId()).toBeNull();
    const inside = await inSpan('work', context.active(), {}, async () => activeTraceId());
    expect(inside).toMatch(/^[0-9a-f]{32}$/);
  });
});
