import { describe, expect, it } from 'vitest';
import { LexicalHashEmbedder } from './lexical-hash.embedder';

function cosine(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);
}

describe('lexical hash embedder', () => {
  const embedder = new LexicalHashEmbedder({ dimensions: 256 });

  it('is deterministic and unit length', async () => {
    const [a] = await embedder.embed(['金卡年费减免'], 'passage');
    const [b] = await embedder.embed(['金卡年费减免'], 'query');
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
    expect(cosine(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
    expect(embedder.modelId).toBe('lexical-hash-256');
  });

  it('places texts that share terms closer than texts that do not', async () => {
    const [query, related, unrelated] = await embedder.embed(['信用卡年费', '金卡的年费为300元', 'Mortgage prepayment penalty'], 'passage');
    expect(cosine(query as Float32Array, related as Float32Array)).toBeGreaterThan(cosine(query as Float32Array, unrelated as Float32Array));
  });

  it('gives the zero vector for text with no terms', async () => {
    const [empty] = await embedder.embed(['。。。'], 'query');
    expect(Array.from(empty as Float32Array).every((value) => value === 0)).toBe(true);
  });
});
