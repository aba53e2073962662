import { describe, expect, it } from 'vitest';
import { buildDocumentTree, leavesUnder } from './document.tree';
import { chunksOf, LAW_DOCUMENT } from '@rag/testing';

describe('document tree from chunks', () => {
  const tree = buildDocumentTree(chunksOf(LAW_DOCUMENT), LAW_DOCUMENT.title);

  it('rebuilds the sections from the chunks’ node ids and section paths', () => {
    expect(tree.root.children.map((c) => [c.id, c.heading])).toEqual([
      ['0.0', '第一编 总则'],
      ['0.1', '第二编 合同'],
      ['0.2', '第三编 继承'],
    ]);
    const contracts = tree.root.children[1]!;
    expect(contracts.children.map((c) => [c.id, c.heading])).toEqual([
      ['0.1.0', '第一章 借款合同'],
      ['0.1.1', '第二章 租赁合同'],
    ]);
    expect(leavesUnder(contracts.children[0]!).map((leaf) => leaf.id)).toEqual(['0.1.0.0', '0.1.0.1']);
  });

  it('keeps every chunk exactly once, in document order', () => {
    expect(leavesUnder(tree.root).map((leaf) => leaf.chunk!.id)).toEqual(chunksOf(LAW_DOCUMENT).map((c) => c.id));
    expect(tree.leaves).toHaveLength(6);
  });

  it('puts the paragraphs of a document without headings straight under the document', () => {
    const flat = buildDocumentTree(
      chunksOf({ ...LAW_DOCUMENT, rows: [['0.0', [], 'First paragraph.'], ['0.1', [], 'Second paragraph.']] }),
      'Plain',
    );
    expect(flat.root.children.map((c) => c.id)).toEqual(['0.0', '0.1']);
    expect(flat.root.children.every((c) => c.chunk !== null)).toBe(true);
  });
});
