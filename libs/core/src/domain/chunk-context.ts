import type { Chunk, NodeId } from './chunk';

/** A chunk as a neighbour or a member of a section: enough to show or fetch it. */
export interface ChunkRef {
  readonly chunkId: string;
  readonly nodeId: NodeId;
  readonly sectionPath: readonly string[];
  readonly text: string;
}

/** Where a chunk sits: its section with every chunk of it, and the chunks just before and after. */
export interface ChunkContext {
  /** The structure-tree id of the section that holds the chunk (`0` for text under no heading). */
  readonly sectionNodeId: NodeId;
  readonly sectionPath: readonly string[];
  /** The section's chunks in document order, subsections included, the chunk itself among them. */
  readonly section: readonly ChunkRef[];
  readonly previous: ChunkRef | null;
  readonly next: ChunkRef | null;
}

/**
 * A chunk's section id is the first components of its node id, one per entry of its section path:
 * the path holds the title then one heading per level, and ids gain one component per level.
 */
export function sectionNodeIdOf(chunk: Pick<Chunk, 'nodeId' | 'sectionPath'>): NodeId {
  return chunk.nodeId.split('.').slice(0, Math.max(1, chunk.sectionPath.length)).join('.');
}

/** Widens a hit to its section and neighbours, from every chunk of its version in document order. */
export function chunkContextOf(chunk: Chunk, versionChunks: readonly Chunk[]): ChunkContext {
  const sectionNodeId = sectionNodeIdOf(chunk);
  const position = versionChunks.findIndex((other) => other.id === chunk.id);
  const inSection = (other: Chunk) => other.nodeId === sectionNodeId || other.nodeId.startsWith(`${sectionNodeId}.`);
  return {
    sectionNodeId,
    sectionPath: chunk.sectionPath,
    section: versionChunks.filter(inSection).map(refOf),
    previous: position > 0 ? refOf(versionChunks[position - 1] as Chunk) : null,
    next: position >= 0 && position < versionChunks.length - 1 ? refOf(versionChunks[position + 1] as Chunk) : null,
  };
}

function refOf(chunk: Chunk): ChunkRef {
  return { chunkId: chunk.id, nodeId: chunk.nodeId, sectionPath: chunk.sectionPath, text: chunk.text };
}
