import { createHash } from 'node:crypto';
import { childNodeId, type DraftChunk } from '@rag/core';
import { splitSentences } from '@rag/text-analysis';
import type { StructureNode } from './structure-tree';

export interface ChunkingSettings {
  /** A chunk grows by whole paragraphs up to this many characters. */
  readonly maxChars: number;
}

export const DEFAULT_CHUNKING: ChunkingSettings = { maxChars: 800 };

/**
 * Chunks follow the structure tree: consecutive paragraphs of one section are packed together up
 * to `maxChars`, never across a heading. A paragraph longer than that is cut between sentences
 * into parts with ids one level deeper (`0.1.2.0`, `0.1.2.1`). A chunk takes the id of its first
 * paragraph, so an unchanged part keeps its id in the next version.
 */
export function chunkStructure(root: StructureNode, settings: ChunkingSettings = DEFAULT_CHUNKING): DraftChunk[] {
  const chunks: DraftChunk[] = [];
  visitSection(root, [root.heading], settings, chunks);
  return chunks;
}

function visitSection(section: StructureNode, path: readonly string[], settings: ChunkingSettings, chunks: DraftChunk[]): void {
  let pending: StructureNode[] = [];
  const flush = () => {
    if (pending.length > 0) chunks.push(draft((pending[0] as StructureNode).id, path, pending.map((p) => p.text).join('\n')));
    pending = [];
  };
  for (const child of section.children) {
    if (child.kind === 'section') {
      flush();
      visitSection(child, [...path, child.heading], settings, chunks);
    } else if (child.text.length > settings.maxChars) {
      flush();
      splitLongParagraph(child, settings.maxChars).forEach((part, i) => chunks.push(draft(childNodeId(child.id, i), path, part)));
    } else {
      const size = pending.reduce((sum, p) => sum + p.text.length + 1, 0);
      if (size + child.text.length > settings.maxChars) flush();
      pending.push(child);
    }
  }
  flush();
}

/**
 * Packs whole sentences into parts of at most `maxChars`. A "sentence" longer than that (a text
 * without punctuation, a dump of numbers) is the one thing cut mid-way, at `maxChars`.
 */
function splitLongParagraph(paragraph: StructureNode, maxChars: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const sentence of splitSentences(paragraph.text).flatMap((s) => cutToLength(s, maxChars))) {
    const joined = current ? `${current}${joinerFor(current, sentence)}${sentence}` : sentence;
    if (current && joined.length > maxChars) {
      parts.push(current);
      current = sentence;
    } else {
      current = joined;
    }
  }
  if (current) parts.push(current);
  return parts;
}

function cutToLength(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < characters.length; start += maxChars) pieces.push(characters.slice(start, start + maxChars).join(''));
  return pieces;
}

/** Chinese sentences run on without a space; others take one. */
function joinerFor(left: string, right: string): string {
  return /\p{Script=Han}[。！？；]?$/u.test(left) && /^\p{Script=Han}/u.test(right) ? '' : ' ';
}

function draft(nodeId: string, sectionPath: readonly string[], text: string): DraftChunk {
  return { nodeId, sectionPath, text, contentHash: createHash('sha256').update(text).digest('hex') };
}
