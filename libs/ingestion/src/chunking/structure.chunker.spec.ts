import { describe, expect, it } from 'vitest';
import { parseDocument } from '../parsing/document.parser';
import { parseMarkdown } from '../parsing/markdown.parser';
import { DEFAULT_PARSE_LIMITS } from '../parsing/parse-limits';
import { chunkStructure } from './structure.chunker';
import { buildStructureTree } from './structure-tree';

const MARKDOWN = `# 信用卡常见问题

## 年费

金卡年费为 300 元。

### 减免

刷卡满 6 次免次年年费。

## 挂失

拨打 400-820-6688 挂失。
`;

function chunksOf(markdown: string, maxChars = 800) {
  return chunkStructure(buildStructureTree('信用卡常见问题', parseMarkdown(markdown)), { maxChars });
}

describe('structure-aware chunking', () => {
  it('follows the heading tree, with hierarchical ids and section paths', () => {
    const chunks = chunksOf(MARKDOWN);
    expect(chunks.map((c) => [c.nodeId, c.sectionPath.join(' > '), c.text])).toEqual([
      ['0.0.0', '信用卡常见问题 > 年费', '金卡年费为 300 元。'],
      ['0.0.1.0', '信用卡常见问题 > 年费 > 减免', '刷卡满 6 次免次年年费。'],
      ['0.1.0', '信用卡常见问题 > 挂失', '拨打 400-820-6688 挂失。'],
    ]);
  });

  it('keeps the ids of unchanged parts when another part changes', () => {
    const before = chunksOf(MARKDOWN);
    const after = chunksOf(MARKDOWN.replace('拨打 400-820-6688 挂失。', '拨打 400-820-6688 或使用手机银行挂失。'));
    expect(after.map((c) => c.nodeId)).toEqual(before.map((c) => c.nodeId));
    expect(after[0]?.contentHash).toBe(before[0]?.contentHash);
    expect(after[2]?.contentHash).not.toBe(before[2]?.contentHash);
  });

  it('packs short paragraphs of one section together but never across a heading', () => {
    const chunks = chunksOf('## A\n\nOne.\n\nTwo.\n\n## B\n\nThree.');
    expect(chunks.map((c) => c.text)).toEqual(['One.\nTwo.', 'Three.']);
  });

  it('cuts a long paragraph between sentences, never inside one', () => {
    const sentence = '这是一个关于账户管理的完整句子。';
    const chunks = chunksOf(`## 长段落\n\n${sentence.repeat(20)}`, 100);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(100);
      expect(chunk.text.endsWith('。')).toBe(true);
    }
    expect(chunks.map((c) => c.nodeId)).toEqual(chunks.map((_, i) => `0.0.0.${i}`));
  });

  it('cuts a run-on text without punctuation so no chunk exceeds the limit', () => {
    const chunks = chunksOf(`## Dump\n\n${'1234567890 '.repeat(100)}`, 100);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(100);
  });

  it('turns a table into one readable line per row', () => {
    const chunks = chunksOf('## Rates\n\n| Balance | Rate |\n|---|---|\n| up to 50,000 | 0.50% |\n| above 50,000 | 0.80% |');
    expect(chunks[0]?.text).toBe('Balance: up to 50,000; Rate: 0.50%\nBalance: above 50,000; Rate: 0.80%');
  });
});

describe('document parsing', () => {
  it('reads HTML headings, paragraphs, lists and tables, and drops scripts', async () => {
    const blocks = await parseDocument('<h1>Fees</h1><script>alert(1)</script><p>A fee of <b>CNY 30</b> applies.</p><ul><li>One</li><li>Two</li></ul><table><tr><th>Item</th><th>Fee</th></tr><tr><td>Wire</td><td>150</td></tr></table>', 'text/html', DEFAULT_PARSE_LIMITS);
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Fees' },
      { kind: 'paragraph', text: 'A fee of CNY 30 applies.' },
      { kind: 'paragraph', text: 'One' },
      { kind: 'paragraph', text: 'Two' },
      { kind: 'paragraph', text: 'Item: Wire; Fee: 150' },
    ]);
  });

  it('keeps the text of deeply nested HTML, and refuses nesting past MAX_HTML_DEPTH', async () => {
    const nested = (depth: number) => `${'<div>'.repeat(depth)}<p>Deep text.</p>${'</div>'.repeat(depth)}`;
    expect(await parseDocument(nested(200), 'text/html', DEFAULT_PARSE_LIMITS)).toEqual([{ kind: 'paragraph', text: 'Deep text.' }]);
    await expect(parseDocument(nested(5000), 'text/html', DEFAULT_PARSE_LIMITS)).rejects.toThrow(/5001 elements deep; the limit \(MAX_HTML_DEPTH\) is 256/);
  });

  it('refuses binary data and content with no text, naming the reason', async () => {
    await expect(parseDocument('PK\u0003\u0004\u0000', 'text/plain', DEFAULT_PARSE_LIMITS)).rejects.toThrow(/binary/);
    await expect(parseDocument('# Only a heading', 'text/markdown', DEFAULT_PARSE_LIMITS)).rejects.toThrow(/no text/);
  });
});
