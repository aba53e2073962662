import { DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE } from '@rag/core';
import { buildDocx, buildPdf } from '@rag/testing';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.parser';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const parse = (content: string, contentType: Parameters<typeof parseDocument>[1]) => parseDocument(content, contentType, DEFAULT_PARSE_LIMITS);

describe('parseDocument', () => {
  it('reads PDF and DOCX from base64, as a submission carries them', async () => {
    const pdf = await buildPdf([[{ heading: '挂失' }, { lines: ['信用卡挂失请拨打客服热线。'] }]]);
    expect(await parse(base64(pdf), PDF_CONTENT_TYPE)).toEqual([
      { kind: 'heading', level: 1, text: '挂失' },
      { kind: 'paragraph', text: '信用卡挂失请拨打客服热线。' },
    ]);
    const docx = await buildDocx([{ heading: 'Lost cards', level: 1 }, { paragraph: 'Call the hotline.' }]);
    expect(await parse(base64(docx), DOCX_CONTENT_TYPE)).toEqual([
      { kind: 'heading', level: 1, text: 'Lost cards' },
      { kind: 'paragraph', text: 'Call the hotline.' },
    ]);
  });

  it('names the problem with empty files and files with no text', async () => {
    await expect(parse('', PDF_CONTENT_TYPE)).rejects.toThrow('The application/pdf file is empty.');
    await expect(parse('', DOCX_CONTENT_TYPE)).rejects.toThrow(`The ${DOCX_CONTENT_TYPE} file is empty.`);
    await expect(parse('', 'text/plain')).rejects.toThrow('The text/plain content has no text to index.');
    const blank = await buildPdf([[]]);
    await expect(parse(base64(blank), PDF_CONTENT_TYPE)).rejects.toThrow(/has no text to index \(a scanned PDF holds only images/);
  });

  it('refuses a binary file declared as text, saying what it looks like', async () => {
    const pdf = await buildPdf([[{ lines: ['text'] }]]);
    await expect(parse(Buffer.from(pdf).toString('latin1'), 'text/plain')).rejects.toThrow('The content is declared text/plain but looks like binary data, a PDF file; submit it with its own content type.');
    await expect(parse('PK\u0003\u0004rest', 'text/markdown')).rejects.toThrow(/looks like binary data, a ZIP archive/);
  });

  it('refuses binary junk as text, and keeps text with a few stray control characters', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('utf8');
    await expect(parse(junk, 'text/plain')).rejects.toThrow(/looks like binary data, not text/);
    const text = `Fees are waived.\u0007 ${'Gold card holders pay no fee after six purchases. '.repeat(5)}`;
    expect(await parse(text, 'text/plain')).toHaveLength(1);
  });

  it('reads nested Markdown, and refuses nesting that would overflow the stack with a reason instead of crashing', async () => {
    const nested = (depth: number) => `${'> '.repeat(depth)}deep`;
    expect(await parse(nested(500), 'text/markdown')).toEqual([{ kind: 'paragraph', text: 'deep' }]);
    await expect(parse(nested(20_000), 'text/markdown')).rejects.toThrow('The text/markdown content is nested too deeply to parse.');
  });
});
