import { describe, expect, it } from 'vitest';
import { childNodeId, chunkIdOf, compareNodeIds, isNodeId, nodeDepth, parentNodeId, parseChunkId } from './chunk';

describe('hierarchical node ids', () => {
  it('derive children, parents and depth from the id alone', () => {
    expect(childNodeId('0.0', 5)).toBe('0.0.5');
    expect(parentNodeId('0.0.5.0')).toBe('0.0.5');
    expect(parentNodeId('0')).toBeNull();
    expect(nodeDepth('0.0.5.0')).toBe(3);
  });

  it('sort in document order, numerically and parents first', () => {
    const ids = ['0.10', '0.2', '0.2.1', '0', '0.2.0'];
    expect([...ids].sort(compareNodeIds)).toEqual(['0', '0.2', '0.2.0', '0.2.1', '0.10']);
  });

  it('accept only well-formed ids', () => {
    expect(isNodeId('0.0.5.0')).toBe(true);
    expect(isNodeId('1.0')).toBe(false);
    expect(isNodeId('0..1')).toBe(false);
    expect(isNodeId('0.a')).toBe(false);
  });

  it('round-trip through chunk ids', () => {
    const id = chunkIdOf('doc_ab12', 3, '0.1.4');
    expect(id).toBe('doc_ab12@3#0.1.4');
    expect(parseChunkId(id)).toEqual({ documentId: 'doc_ab12', version: 3, nodeId: '0.1.4' });
    expect(parseChunkId('not-a-chunk')).toBeNull();
  });
});
