import type { TenantId } from './tenant';

/**
 * A position in a document's structure tree, such as `0.0.5.0`: the document is `0`, its first
 * section `0.0`, that section's sixth child `0.0.5`, and so on. Ids are derived from structure,
 * so an unchanged part keeps its id across versions.
 */
export type NodeId = string;

const NODE_ID_PATTERN = /^0(\.\d+)*$/;

export function isNodeId(value: string): value is NodeId {
  return NODE_ID_PATTERN.test(value);
}

export function childNodeId(parent: NodeId, index: number): NodeId {
  return `${parent}.${index}`;
}

export function parentNodeId(id: NodeId): NodeId | null {
  const cut = id.lastIndexOf('.');
  return cut < 0 ? null : id.slice(0, cut);
}

export function nodeDepth(id: NodeId): number {
  return id.split('.').length - 1;
}

/** Document order: `0.2` before `0.10`, a parent before its children. */
export function compareNodeIds(a: NodeId, b: NodeId): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * The id chunks had before ids were content-addressed: document, version and node, e.g.
 * `doc_x@2#0.1.3`. Rows written then keep it, so an upgraded deployment needs no re-index.
 */
export function chunkIdOf(documentId: string, version: number, nodeId: NodeId): string {
  return `${documentId}@${version}#${nodeId}`;
}

export interface ChunkIdParts {
  readonly documentId: string;
  readonly version: number;
  readonly nodeId: NodeId;
}

export function parseChunkId(chunkId: string): ChunkIdParts | null {
  const match = /^(.+)@(\d+)#(0(?:\.\d+)*)$/.exec(chunkId);
  if (!match) return null;
  return { documentId: match[1] as string, version: Number(match[2]), nodeId: match[3] as NodeId };
}

/**
 * A piece of a document version that is embedded and indexed on its own. Versions that hold it
 * unchanged share it (its id follows its content); `version`, `nodeId` and `ordinal` are those of
 * the version it was read for.
 */
export interface Chunk {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly collection: string;
  readonly documentId: string;
  readonly version: number;
  readonly nodeId: NodeId;
  readonly ordinal: number;
  readonly title: string;
  /** Headings from the document title down to the chunk's section. */
  readonly sectionPath: readonly string[];
  readonly text: string;
  readonly contentHash: string;
  readonly aclGroups: readonly string[];
}
