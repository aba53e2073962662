import type { Embedder, EmbeddingPurpose, GenerationRequest, Generator } from '@rag/core';
import type { DependencyGuard } from './dependency.guard';

/** The embedder under its guard; the caller's signal (the request deadline) reaches the HTTP call. */
export function guardEmbedder(embedder: Embedder, guard: DependencyGuard): Embedder {
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    embed: (texts: readonly string[], purpose: EmbeddingPurpose, signal?: AbortSignal) => guard.run((guarded) => embedder.embed(texts, purpose, guarded), signal),
  };
}

/**
 * The generator under its guard. The breaker judges the stream by its first piece: a server that
 * cannot start an answer is down; one that breaks off mid-answer fails that answer only, and the
 * composer falls back to the extractive answer.
 */
export function guardGenerator(generator: Generator, guard: DependencyGuard): Generator {
  return {
    name: generator.name,
    generate: (request: GenerationRequest) => guardedStream(generator, guard, request),
  };
}

async function* guardedStream(generator: Generator, guard: DependencyGuard, request: GenerationRequest): AsyncGenerator<string> {
  const iterator = generator.generate(request)[Symbol.asyncIterator]();
  const first = await guard.run(() => iterator.next(), request.signal);
  if (first.done) return;
  yield first.value;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}
