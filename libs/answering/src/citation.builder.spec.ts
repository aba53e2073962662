import { toTenantId, type Chunk, type ContextBlock } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { buildCitations } from './citation.builder';

function block(marker: number, text: string): ContextBlock {
  const chunk: Chunk = {
    id: `doc_${marker}@1#0.${marker}`,
    tenantId: toTenantId('t'),
    collection: 'c',
    documentId: `doc_${marker}`,
    version: 1,
    nodeId: `0.${marker}`,
    ordinal: 0,
    title: 'Title',
    sectionPath: ['Title', `Section ${marker}`],
    text,
    contentHash: 'h',
    aclGroups: ['*'],
  };
  return { marker, chunk };
}

describe('citations', () => {
  const contexts = [block(1, '金卡年费为 300 元。刷卡满 6 次免次年年费。'), block(2, 'Codes are valid for 5 minutes. Each code works once.')];

  it('quote, verbatim, the sentence of the cited chunk that supports each claim', () => {
    const { citations, unknownMarkers } = buildCitations('刷卡满 6 次免次年年费。 [1] Codes last five minutes, as the guide says. [2]', contexts);
    expect(unknownMarkers).toEqual([]);
    expect(citations.map((c) => [c.marker, c.quote])).toEqual([
      [1, '刷卡满 6 次免次年年费。'],
      [2, 'Codes are valid for 5 minutes.'],
    ]);
    expect(citations[0]?.sectionPath).toEqual(['Title', 'Section 1']);
  });

  it('reports markers that name no context block instead of citing them', () => {
    const { citations, unknownMarkers } = buildCitations('An invented fee. [7]', contexts);
    expect(citations).toEqual([]);
    expect(unknownMarkers).toEqual([7]);
  });

  it('cites nothing when the answer has no markers', () => {
    expect(buildCitations('No markers here.', contexts).citations).toEqual([]);
  });
});
