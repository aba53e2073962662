import type { Chunk } from '@rag/core';
import { analyze } from '@rag/text-analysis';

/** A section of a document (or the document itself), or a chunk at the bottom of the tree. */
export interface TreeNode {
  readonly id: string;
  /** A section's heading; for a leaf, the opening words of its text. */
  readonly heading: string;
  readonly children: TreeNode[];
  /** Set on leaves only. */
  readonly chunk: Chunk | null;
  /** Term counts of a leaf's text, or of a section's heading. */
  readonly terms: ReadonlyMap<string, number>;
  readonly length: number;
}

/** One version of one document, as a tree of sections over its chunks, with term statistics for scoring. */
export interface DocumentTree {
  readonly documentId: string;
  readonly version: number;
  readonly title: string;
  readonly root: TreeNode;
  readonly leaves: readonly TreeNode[];
  /** In how many leaves each term occurs. */
  readonly documentFrequency: ReadonlyMap<string, number>;
  readonly averageLeafLength: number;
}

const LABEL_CHARS = 40;

/**
 * Rebuilds the structure tree from a version's chunks. A chunk's section path names its sections
 * from the document down, and its node id starts with theirs: the section at depth d has the
 * first d+1 parts of the id (`0.3.1.4` under path [title, A, B] lies in section `0.3.1`).
 */
export function buildDocumentTree(chunks: readonly Chunk[], title: string): DocumentTree {
  const first = chunks[0];
  const root = sectionNode('0', first?.sectionPath[0] ?? title);
  const sections = new Map<string, TreeNode>([['0', root]]);
  const leaves: TreeNode[] = [];
  for (const chunk of [...chunks].sort((a, b) => a.ordinal - b.ordinal)) {
    const parent = sectionOf(chunk, sections);
    const leaf = leafNode(chunk);
    parent.children.push(leaf);
    leaves.push(leaf);
  }
  const documentFrequency = new Map<string, number>();
  for (const leaf of leaves) for (const term of leaf.terms.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const totalLength = leaves.reduce((sum, leaf) => sum + leaf.length, 0);
  return {
    documentId: first?.documentId ?? '',
    version: first?.version ?? 0,
    title,
    root,
    leaves,
    documentFrequency,
    averageLeafLength: leaves.length > 0 ? totalLength / leaves.length : 1,
  };
}

/** The chunk's innermost section, creating the sections on its path that were not seen yet. */
function sectionOf(chunk: Chunk, sections: Map<string, TreeNode>): TreeNode {
  const parts = chunk.nodeId.split('.');
  // A chunk lies strictly below its section, so the section id is shorter than the chunk's.
  const depth = Math.min(chunk.sectionPath.length, parts.length - 1);
  let parent = sections.get('0') as TreeNode;
  for (let length = 2; length <= depth; length++) {
    const id = parts.slice(0, length).join('.');
    let section = sections.get(id);
    if (!section) {
      section = sectionNode(id, chunk.sectionPath[length - 1] ?? '');
      parent.children.push(section);
      sections.set(id, section);
    }
    parent = section;
  }
  return parent;
}

function sectionNode(id: string, heading: string): TreeNode {
  const terms = countTerms(heading);
  return { id, heading, children: [], chunk: null, terms, length: heading.length };
}

function leafNode(chunk: Chunk): TreeNode {
  const terms = countTerms(chunk.text);
  let length = 0;
  for (const count of terms.values()) length += count;
  return { id: chunk.nodeId, heading: Array.from(chunk.text).slice(0, LABEL_CHARS).join(''), children: [], chunk, terms, length };
}

function countTerms(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of analyze(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

export function isLeaf(node: TreeNode): boolean {
  return node.chunk !== null;
}

/** Every leaf below a node (the node itself when it is one), in document order. */
export function leavesUnder(node: TreeNode): TreeNode[] {
  if (isLeaf(node)) return [node];
  return node.children.flatMap(leavesUnder);
}
