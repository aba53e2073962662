import { buildDocx, buildDocxBomb } from '@rag/testing';
import { describe, expect, it } from 'vitest';
import { parseDocx } from './docx.parser';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';

describe('DOCX parser', () => {
  it('keeps Word headings, lists and tables (row by row with the header), and Chinese text', async () => {
    const docx = await buildDocx([
      { heading: '信用卡年费', level: 1 },
      { paragraph: '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。' },
      { heading: 'Fees by card', level: 2 },
      { table: [['Card', 'Annual fee', 'Waiver'], ['Gold', '300 yuan', 'six purchases'], ['Platinum', '2000 yuan', 'none']] },
      { heading: 'How to apply', level: 2 },
      { bullets: ['Visit a branch.', 'Apply in the mobile app.'] },
    ]);
    expect(await parseDocx(docx, DEFAULT_PARSE_LIMITS)).toEqual([
      { kind: 'heading', level: 1, text: '信用卡年费' },
      { kind: 'paragraph', text: '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。' },
      { kind: 'heading', level: 2, text: 'Fees by card' },
      { kind: 'paragraph', text: 'Card: Gold; Annual fee: 300 yuan; Waiver: six purchases\nCard: Platinum; Annual fee: 2000 yuan; Waiver: none' },
      { kind: 'heading', level: 2, text: 'How to apply' },
      { kind: 'paragraph', text: 'Visit a branch.' },
      { kind: 'paragraph', text: 'Apply in the mobile app.' },
    ]);
  });

  it('refuses a corrupt DOCX and a file that is not one, naming what it found', async () => {
    const docx = await buildDocx([{ paragraph: 'Some text.' }]);
    await expect(parseDocx(docx.subarray(0, 200), DEFAULT_PARSE_LIMITS)).rejects.toThrow(/^The DOCX file could not be read: /);
    const pdfBytes = new TextEncoder().encode('%PDF-1.7\n...');
    await expect(parseDocx(pdfBytes, DEFAULT_PARSE_LIMITS)).rejects.toThrow('The content is declared DOCX but is not a ZIP archive; it looks like a PDF file.');
  });

  it('refuses a DOCX that declares it expands past MAX_DOCX_EXPANDED_BYTES, without inflating it', async () => {
    const bomb = buildDocxBomb(3);
    await expect(parseDocx(bomb, { ...DEFAULT_PARSE_LIMITS, maxDocxExpandedBytes: 1024 * 1024 })).rejects.toThrow(/^The DOCX file expands to 3\d{6} bytes; the limit \(MAX_DOCX_EXPANDED_BYTES\) is 1048576\.$/);
  });
});
