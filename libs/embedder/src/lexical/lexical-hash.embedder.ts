import type { Embedder, EmbeddingPurpose } from '@rag/core';
import { analyze } from '@rag/text-analysis';

export interface LexicalHashEmbedderSettings {
  readonly dimensions: number;
}

/**
 * A deterministic embedder with no model: it hashes a text's analyzer terms (words, and
 * character bigrams for Chinese) into a fixed-size vector (signed feature hashing, log term frequency,
 * unit length). Similarity is lexical overlap, not meaning; it exists so the embedded profile
 * works with zero external services, and is used only when no embedding server is configured.
 */
export class LexicalHashEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  constructor(settings: LexicalHashEmbedderSettings) {
    this.dimensions = settings.dimensions;
    this.modelId = `lexical-hash-${settings.dimensions}`;
  }

  embed(texts: readonly string[], _purpose: EmbeddingPurpose): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  private embedOne(text: string): Float32Array {
    const counts = new Map<string, number>();
    for (const feature of analyze(text)) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const vector = new Float32Array(this.dimensions);
    for (const [feature, count] of counts) {
      const hash = fnv1a(feature);
      const sign = hash & 1 ? 1 : -1;
      const slot = (hash >>> 1) % this.dimensions;
      vector[slot] = (vector[slot] as number) + sign * (1 + Math.log(count));
    }
    return normalize(vector);
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}
