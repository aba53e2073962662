import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LedgerEntry } from '@rag/core';
import { tracer } from './tracing';

/** Stages that call out of the process, named in spans by the dependency they call. */
const STAGE_DEPENDENCY: Record<string, string> = { cache: 'cache', hydrate: 'sql', generate: 'generator' };

/**
 * Adds the query path's stages to the request's span as child spans, from the timings the trace
 * already holds: cache, retrieval with each store's call inside it (the vector call includes the
 * query embedding), the SQL join and generation. The stages ran one after another from the start
 * of the request, so their start times follow from their durations.
 */
export function recordQuerySpans(entry: LedgerEntry): void {
  const parent = trace.getActiveSpan();
  if (!parent?.isRecording()) return;
  const parentContext = trace.setSpan(context.active(), parent);
  let at = entry.createdAt - entry.latencyMs;
  for (const { stage, ms } of entry.trace.stages) {
    if (stage === 'total') continue;
    const dependency = STAGE_DEPENDENCY[stage];
    const attributes = { 'rag.stage': stage, ...(dependency ? { 'rag.dependency': dependency } : {}) };
    const span = tracer().startSpan(`${entry.kind} ${stage}`, { startTime: at, attributes }, parentContext);
    if (stage === 'retrieve') recordStoreSpans(entry, trace.setSpan(parentContext, span), at);
    span.end(at + ms);
    at += ms;
  }
}

function recordStoreSpans(entry: LedgerEntry, retrieveContext: ReturnType<typeof context.active>, start: number): void {
  for (const store of entry.trace.stores) {
    const span = tracer().startSpan(`${store.store} index search`, { startTime: start, attributes: { 'rag.dependency': store.store, 'rag.hits': store.hits, 'rag.ok': store.ok } }, retrieveContext);
    if (!store.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: store.error ?? 'failed' });
    span.end(start + store.ms);
  }
}
