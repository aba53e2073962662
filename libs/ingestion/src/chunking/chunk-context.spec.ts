import { chunkContextOf, chunkIdOf, type Chunk, toTenantId } from '@rag/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../parsing/document.parser';
import { DEFAULT_PARSE_LIMITS } from '../parsing/parse-limits';
import { chunkStructure } from './structure.chunker';
import { buildStructureTree } from './structure-tree';

const MARKDOWN = `# Card handbook 信用卡手册

Read this first. 请先阅读。

## Fees 年费

The gold card costs 300 yuan. 金卡年费为 300 元。

### Waivers 减免

Six purchases waive the fee. 刷卡满 6 次免次年年费。

#### Exceptions 例外

Corporate cards never waive. 公司卡不减免。

## Lost cards 挂失

${'A reported card stops at once. 挂失后旧卡立即停用。'.repeat(12)}
`;

/** The chunker's output as stored chunks of version 2 of one document. */
async function storedChunks(): Promise<Chunk[]> {
  const drafts = chunkStructure(buildStructureTree('Card handbook 信用卡手册', await parseDocument(MARKDOWN, 'text/markdown', DEFAULT_PARSE_LIMITS)), { maxChars: 200 });
  return drafts.map((draft, ordinal) => ({ ...draft, id: chunkIdOf('doc_a', 2, draft.nodeId), tenantId: toTenantId('bank-a'), collection: 'c', documentId: 'doc_a', version: 2, ordinal, title: 'Card handbook', aclGroups: ['everyone'] }));
}

describe('widening a hit to its section and neighbours', () => {
  let chunks: Chunk[] = [];
  beforeAll(async () => {
    chunks = await storedChunks();
  });
  const byText = (text: string) => chunks.find((chunk) => chunk.text.includes(text)) as Chunk;

  it('gives a chunk under a heading its whole section, subsections included, and its neighbours', () => {
    const context = chunkContextOf(byText('300 yuan'), chunks);
    expect(context.sectionNodeId).toBe('0.1');
    expect(context.sectionPath).toEqual(['Card handbook 信用卡手册', 'Fees 年费']);
    expect(context.section.map((ref) => ref.text)).toEqual([expect.stringContaining('300 yuan'), expect.stringContaining('Six purchases'), expect.stringContaining('Corporate cards')]);
    expect(context.previous?.text).toContain('Read this first');
    expect(context.next?.text).toContain('Six purchases');
  });

  it('gives a deeper chunk only its own subsection', () => {
    const context = chunkContextOf(byText('Six purchases'), chunks);
    expect(context.sectionNodeId).toBe('0.1.1');
    expect(context.section.map((ref) => ref.nodeId)).toEqual([byText('Six purchases').nodeId, byText('Corporate cards').nodeId]);
  });

  it('keeps the parts of a long paragraph in the section of the paragraph, not the paragraph itself', () => {
    const parts = chunks.filter((chunk) => chunk.text.includes('挂失后旧卡'));
    expect(parts.length).toBeGreaterThan(1);
    const context = chunkContextOf(parts[1] as Chunk, chunks);
    expect(context.sectionNodeId).toBe('0.2');
    expect(context.section.map((ref) => ref.chunkId)).toEqual(parts.map((part) => part.id));
    expect(context.next?.chunkId ?? null).toBe(parts[2]?.id ?? null);
  });

  it('treats text under no heading as the document’s own section, with no chunk before it', () => {
    const context = chunkContextOf(byText('Read this first'), chunks);
    expect(context.sectionNodeId).toBe('0');
    expect(context.section).toHaveLength(chunks.length);
    expect(context.previous).toBeNull();
  });
});
