import { childNodeId, type NodeId } from '@rag/core';
import type { ContentBlock } from '../parsing/content-block';

/** A node of a document's structure tree: the document, a section, or a paragraph. */
export interface StructureNode {
  readonly id: NodeId;
  readonly kind: 'document' | 'section' | 'paragraph';
  /** The heading of a section, the title of the document; empty for a paragraph. */
  readonly heading: string;
  readonly text: string;
  readonly children: StructureNode[];
}

interface OpenSection {
  readonly node: StructureNode;
  readonly level: number;
}

/**
 * Nests blocks under their headings. A heading closes every open section of its level or deeper,
 * so a skipped level (h1 then h3) still nests. Ids follow child positions: the document is `0`.
 * A lone level-1 heading at the very start is the document's own title, not a section.
 */
export function buildStructureTree(title: string, blocks: readonly ContentBlock[]): StructureNode {
  const root: StructureNode = { id: '0', kind: 'document', heading: title, text: '', children: [] };
  const open: OpenSection[] = [{ node: root, level: 0 }];
  for (const block of withoutTitleHeading(blocks)) {
    if (block.kind === 'heading') {
      while ((open.at(-1) as OpenSection).level >= block.level) open.pop();
      const parent = (open.at(-1) as OpenSection).node;
      const section: StructureNode = { id: childNodeId(parent.id, parent.children.length), kind: 'section', heading: block.text, text: '', children: [] };
      parent.children.push(section);
      open.push({ node: section, level: block.level });
    } else {
      const parent = (open.at(-1) as OpenSection).node;
      parent.children.push({ id: childNodeId(parent.id, parent.children.length), kind: 'paragraph', heading: '', text: block.text, children: [] });
    }
  }
  return root;
}

function withoutTitleHeading(blocks: readonly ContentBlock[]): readonly ContentBlock[] {
  const first = blocks.find((block) => block.kind === 'heading');
  const topLevel = blocks.filter((block) => block.kind === 'heading' && block.level === 1);
  if (first?.kind === 'heading' && first.level === 1 && topLevel.length === 1 && blocks[0] === first) {
    return blocks.slice(1);
  }
  return blocks;
}
