import type { ActiveVersionInfo, RetrievedChunk } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { routeQuery } from './auto.router';

const hit = (documentId: string, section: string): RetrievedChunk =>
  ({ chunkId: `${documentId}@1#${section}`, documentId, version: 1, score: 1, ranks: {}, chunk: { sectionPath: ['Law', section] } }) as unknown as RetrievedChunk;
const version = (documentId: string, chunkCount: number): ActiveVersionInfo => ({ documentId, version: 1, title: documentId, chunkCount });

describe('auto router', () => {
  it('keeps hybrid when there is nothing to walk', () => {
    expect(routeQuery([], [], { longDocumentChunks: 40 })).toMatchObject({ chosen: 'hybrid', reason: expect.stringMatching(/no readable document/) as unknown });
  });

  it('keeps hybrid for a short document, and says how long it is', () => {
    const decision = routeQuery([hit('faq', 'a'), hit('faq', 'b')], [version('faq', 12)], { longDocumentChunks: 40 });
    expect(decision.chosen).toBe('hybrid');
    expect(decision.reason).toMatch(/12 chunks/);
    expect(decision.signals).toMatchObject({ leadDocumentChunks: 12, leadDocumentSections: 2 });
  });

  it('walks a long document whose hits spread over several sections', () => {
    const decision = routeQuery([hit('law', '借款合同'), hit('law', '租赁合同'), hit('faq', 'x')], [version('law', 300), version('faq', 5)], { longDocumentChunks: 40 });
    expect(decision).toMatchObject({ chosen: 'navigate', signals: { leadDocumentChunks: 300, leadDocumentSections: 2, leadDocumentShare: 0.67 } });
  });
});
