import { beginText, endText, moveText, PDFDocument, type PDFFont, PDFHexString, PDFName, type PDFPage, PDFString, setFontAndSize, showText, StandardFonts } from 'pdf-lib';

/** What a test PDF holds, page by page: headings by size, paragraphs of one or more lines, and tables laid out in columns. */
export type PdfBlock = { readonly heading: string; readonly size?: number } | { readonly lines: readonly string[] } | { readonly table: readonly (readonly string[])[] };
export type PdfPageSpec = readonly PdfBlock[];

const BODY_SIZE = 11;
const COLUMN_WIDTH = 160;
const CJK_FONT = 'FCJK';
const WIN_ANSI = /^[\x20-\x7e]*$/;

/**
 * Builds a PDF in memory with pdf-lib. Latin text uses Helvetica; other text (Chinese) uses a
 * composite font whose codes are Unicode code points with a ToUnicode map, as a PDF from a word
 * processor would have, so no CJK font file is needed to make or to read it.
 */
export async function buildPdf(pages: readonly PdfPageSpec[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  const cjkFont = registerUnicodeFont(doc, pages.flat().flatMap(textsOf).join(''));
  for (const blocks of pages) {
    const page = doc.addPage([595, 842]);
    page.node.setFontDictionary(PDFName.of(CJK_FONT), cjkFont);
    let y = 790;
    for (const block of blocks) {
      if ('heading' in block) {
        const size = block.size ?? 18;
        y -= size * 0.6;
        drawLine(page, helvetica, block.heading, 50, y, size);
        y -= size * 1.8;
      } else if ('table' in block) {
        for (const row of block.table) {
          row.forEach((cell, i) => drawLine(page, helvetica, cell, 50 + i * COLUMN_WIDTH, y, BODY_SIZE));
          y -= BODY_SIZE * 1.5;
        }
        y -= BODY_SIZE * 1.2;
      } else {
        for (const line of block.lines) {
          drawLine(page, helvetica, line, 50, y, BODY_SIZE);
          y -= BODY_SIZE * 1.3;
        }
        y -= BODY_SIZE * 1.2;
      }
    }
  }
  return doc.save();
}

function textsOf(block: PdfBlock): readonly string[] {
  if ('heading' in block) return [block.heading];
  return 'table' in block ? block.table.flat() : block.lines;
}

function drawLine(page: PDFPage, latin: PDFFont, text: string, x: number, y: number, size: number): void {
  if (WIN_ANSI.test(text)) {
    page.drawText(text, { x, y, size, font: latin });
    return;
  }
  const codes = [...text].map((char) => hex4(char.codePointAt(0) ?? 0x3f)).join('');
  page.pushOperators(beginText(), setFontAndSize(CJK_FONT, size), moveText(x, y), showText(PDFHexString.of(codes)), endText());
}

function registerUnicodeFont(doc: PDFDocument, text: string) {
  const codes = [...new Set([...text].map((char) => char.codePointAt(0) ?? 0x3f))].filter((code) => code <= 0xffff);
  const cmap = [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def', '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange',
    ...chunked(codes, 100).flatMap((group) => [`${group.length} beginbfchar`, ...group.map((code) => `<${hex4(code)}> <${hex4(code)}>`), 'endbfchar']),
    'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end',
  ].join('\n');
  const ctx = doc.context;
  const descriptor = ctx.register(ctx.obj({ Type: 'FontDescriptor', FontName: 'SimSun', Flags: 4, FontBBox: [0, -200, 1000, 900], ItalicAngle: 0, Ascent: 880, Descent: -120, CapHeight: 700, StemV: 80 }));
  const cidFont = ctx.register(ctx.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'SimSun', CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 }, FontDescriptor: descriptor, DW: 1000 }));
  return ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'SimSun', Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: ctx.register(ctx.stream(cmap)) }));
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0').toUpperCase();
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
