import { buildPdf } from '@rag/testing';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';
import { parsePdf } from './pdf.parser';

describe('PDF parser', () => {
  it('keeps headings by font size, paragraphs by spacing, tables row by row with their header, and Chinese text intact across lines', async () => {
    const pdf = await buildPdf([
      [
        { heading: 'Card Fees', size: 20 },
        { lines: ['The annual fee of the gold card is 300 yuan.', 'It is waived after six purchases a year.'] },
        { heading: 'Waivers', size: 15 },
        { lines: ['金卡持卡人在一个年费年度内刷卡消费满', '6 次，即可免收次年年费。'] },
      ],
      [{ table: [['Card', 'Annual fee', 'Waiver'], ['Gold', '300 yuan', 'six purchases'], ['白金卡', '2000 元', '无']] }, { lines: ['Fees are reviewed every year.'] }],
    ]);
    const blocks = await parsePdf(pdf, DEFAULT_PARSE_LIMITS);
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Card Fees' },
      { kind: 'paragraph', text: 'The annual fee of the gold card is 300 yuan. It is waived after six purchases a year.' },
      { kind: 'heading', level: 2, text: 'Waivers' },
      { kind: 'paragraph', text: '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。' },
      { kind: 'paragraph', text: 'Card: Gold; Annual fee: 300 yuan; Waiver: six purchases\nCard: 白金卡; Annual fee: 2000 元; Waiver: 无' },
      { kind: 'paragraph', text: 'Fees are reviewed every year.' },
    ]);
  });

  it('names MAX_PDF_PAGES when a PDF has more pages than allowed', async () => {
    const pdf = await buildPdf([[{ lines: ['one'] }], [{ lines: ['two'] }], [{ lines: ['three'] }]]);
    await expect(parsePdf(pdf, { ...DEFAULT_PARSE_LIMITS, maxPdfPages: 2 })).rejects.toThrow('The PDF has 3 pages; the limit (MAX_PDF_PAGES) is 2.');
  });

  it('refuses a corrupt PDF and text declared as PDF with a reason a reader can act on', async () => {
    const pdf = await buildPdf([[{ lines: ['Some text that will be cut off.'] }]]);
    await expect(parsePdf(pdf.subarray(0, 40), DEFAULT_PARSE_LIMITS)).rejects.toThrow(/^The PDF could not be read: /);
    await expect(parsePdf(new TextEncoder().encode('Just a plain text note.'), DEFAULT_PARSE_LIMITS)).rejects.toThrow(
      'The content is declared application/pdf but has no %PDF- header; it looks like something else.',
    );
  });

  it('finds no text in a PDF of images only, without failing', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect(await parsePdf(await doc.save(), DEFAULT_PARSE_LIMITS)).toEqual([]);
  });

  it('stops at PARSE_TIMEOUT_MS between pages', async () => {
    const pdf = await buildPdf(Array.from({ length: 30 }, (_, i) => [{ lines: [`Page ${i} text.`] }]));
    await expect(parsePdf(pdf, { ...DEFAULT_PARSE_LIMITS, parseTimeoutMs: 1 })).rejects.toThrow(/PARSE_TIMEOUT_MS/);
  });
});
