import { context, propagation, type Span, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

export const TRACER_NAME = 'bank-rag';

export interface TracingOptions {
  readonly serviceName: string;
  /** OTLP over HTTP, e.g. `http://collector:4318`; spans go to `<endpoint>/v1/traces`. Null: ids only, nothing exported. */
  readonly otlpEndpoint: string | null;
  /** Extra processors (a test's in-memory exporter). */
  readonly processors?: readonly SpanProcessor[];
}

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider for the process. It always runs, so every request and log line has a
 * trace id and incoming `traceparent` headers are honoured. Spans are recorded, and leave the
 * process, only when an OTLP endpoint (or a test's processor) is there to take them; otherwise they
 * carry ids alone and cost next to nothing on the query path.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const processors: SpanProcessor[] = [...(options.processors ?? [])];
  if (options.otlpEndpoint) {
    // Loaded only when used: the exporter adds about a second to start-up on a busy machine.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })));
  }
  const sampler = processors.length > 0 ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler();
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName }), spanProcessors: processors, sampler });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** The W3C `traceparent` of the active span, to store beside work that another process picks up. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored or received `traceparent` describes (the active one when there is none). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
}

/** The active span's trace id, for log lines; null outside any span. */
export function activeTraceId(): string | null {
  const span = trace.getActiveSpan();
  return span ? span.spanContext().traceId : null;
}

/** Runs `work` in a new span under `parent`, ending it with the outcome. */
export async function inSpan<T>(name: string, parent: Context, attributes: Record<string, string | number | boolean>, work: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
