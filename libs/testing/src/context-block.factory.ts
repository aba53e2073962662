import { chunkIdOf, type ContextBlock, toTenantId } from '@rag/core';

export interface ContextBlockFixture {
  readonly marker: number;
  readonly text: string;
  readonly sectionPath?: readonly string[];
  readonly documentId?: string;
  readonly nodeId?: string;
}

/** A numbered context block as retrieval hands it to a generator, with a made-up chunk around the text. */
export function contextBlock({ marker, text, sectionPath = ['Test document'], documentId = `doc_test${marker}`, nodeId = `0.${marker}` }: ContextBlockFixture): ContextBlock {
  return {
    marker,
    chunk: {
      id: chunkIdOf(documentId, 1, nodeId),
      tenantId: toTenantId('test'),
      collection: 'test',
      documentId,
      version: 1,
      nodeId,
      ordinal: marker,
      title: sectionPath[0] ?? 'Test document',
      sectionPath,
      text,
      contentHash: `hash-${documentId}-${nodeId}`,
      aclGroups: ['*'],
    },
  };
}
