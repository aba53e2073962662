import { getDocumentProxy } from 'unpdf';
import { type ContentBlock, tableToText, UnparsableDocumentError } from './content-block';
import { describeKind, sniffBytes } from './content-sniffer';
import { ParseDeadline, type ParseLimits } from './parse-limits';

/** A run of text on a line, apart from the next by a wide gap: a table cell when lines line up. */
interface Cell {
  readonly text: string;
  readonly x: number;
}

/** One line of text as laid out on a page: its words, font size, baseline and cells. */
interface Line {
  readonly text: string;
  readonly size: number;
  readonly y: number;
  readonly page: number;
  readonly cells: readonly Cell[];
}

interface PositionedText {
  readonly str: string;
  readonly transform: readonly number[];
  readonly width: number;
  readonly hasEOL: boolean;
}

/** A line this much larger than the body text is a heading; larger sizes rank as higher levels. */
const HEADING_RATIO = 1.15;
const MAX_HEADING_CHARS = 200;
/** A vertical gap wider than this many line heights starts a new paragraph. */
const PARAGRAPH_GAP = 1.6;
/** A horizontal gap wider than this many font sizes separates table cells, not words. */
const CELL_GAP = 1.5;
/** Cells of rows in one table start within this many points of each other. */
const COLUMN_TOLERANCE = 3;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * PDF to blocks with PDF.js (through unpdf): text lines from each page, headings recognised by
 * font size (PDFs rarely carry tags), paragraphs by vertical gaps, tables by lines whose cells
 * line up in columns (read row by row with the first row as header), and Chinese lines rejoined
 * without spaces.
 */
export async function parsePdf(bytes: Uint8Array, limits: ParseLimits): Promise<ContentBlock[]> {
  const kind = sniffBytes(bytes);
  if (kind !== 'pdf') throw new UnparsableDocumentError(`The content is declared application/pdf but has no %PDF- header; it looks like ${describeKind(kind)}.`);
  const deadline = new ParseDeadline(limits.parseTimeoutMs);
  const pdf = await deadline.within('opening the PDF', openPdf(bytes));
  try {
    if (pdf.numPages > limits.maxPdfPages) {
      throw new UnparsableDocumentError(`The PDF has ${pdf.numPages} pages; the limit (MAX_PDF_PAGES) is ${limits.maxPdfPages}.`);
    }
    const lines: Line[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      deadline.check(`page ${number} of ${pdf.numPages}`);
      const page = await deadline.within(`page ${number}`, pdf.getPage(number));
      const content = await deadline.within(`page ${number}`, page.getTextContent());
      lines.push(...linesOf((content.items as unknown[]).filter(isPositionedText), number));
      page.cleanup();
    }
    return toBlocks(lines);
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function openPdf(bytes: Uint8Array) {
  try {
    // PDF.js takes ownership of the buffer it is given; a copy keeps the caller's intact.
    return await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: false, verbosity: 0 });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new UnparsableDocumentError('The PDF is password-protected; submit it without a password.');
    throw new UnparsableDocumentError(`The PDF could not be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

function isPositionedText(item: unknown): item is PositionedText {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/** Runs of text items on one baseline make a line; an explicit end of line closes it too. */
function linesOf(items: readonly PositionedText[], page: number): Line[] {
  const lines: Line[] = [];
  let cells: { text: string; x: number; end: number; closed: boolean }[] = [];
  let size = 0;
  let y = Number.NaN;
  const close = () => {
    const kept = cells.map((cell) => ({ text: cell.text.replace(/\s+/g, ' ').trim(), x: cell.x })).filter((cell) => cell.text);
    if (kept.length > 0) lines.push({ text: kept.map((cell) => cell.text).join(' '), size, y, page, cells: kept });
    cells = [];
    size = 0;
  };
  for (const item of items) {
    const itemSize = Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0);
    const [x, itemY] = [item.transform[4] ?? 0, item.transform[5] ?? 0];
    if (cells.length > 0 && Math.abs(itemY - y) > Math.max(size, itemSize) * 0.5) close();
    if (cells.length === 0) y = itemY;
    const last = cells.at(-1);
    const gap = Math.max(size, itemSize) * CELL_GAP;
    // PDF.js reports a wide gap either as distance between items or as one wide space item.
    const wideSpace = !item.str.trim() && item.width > gap;
    if (item.str.trim() && (!last || last.closed || x - last.end > gap)) cells.push({ text: item.str, x, end: x + item.width, closed: false });
    else if (last && wideSpace) last.closed = true;
    else if (last) {
      last.text += item.str;
      last.end = Math.max(last.end, x + item.width);
    }
    if (item.str.trim()) size = Math.max(size, itemSize);
    if (item.hasEOL) close();
  }
  close();
  return lines;
}

function toBlocks(lines: readonly Line[]): ContentBlock[] {
  const body = bodySize(lines);
  const headingLevels = headingLevelsBySize(lines, body);
  const blocks: ContentBlock[] = [];
  let paragraph = '';
  let previous: Line | undefined;
  const flush = () => {
    if (paragraph) blocks.push({ kind: 'paragraph', text: paragraph });
    paragraph = '';
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const level = headingLevels.get(line.size);
    const table = tableAt(lines, i);
    if (level !== undefined && line.text.length <= MAX_HEADING_CHARS) {
      flush();
      blocks.push({ kind: 'heading', level, text: line.text });
      previous = undefined;
    } else if (table.length > 1) {
      flush();
      const [header, ...rows] = table.map((row) => row.cells.map((cell) => cell.text));
      blocks.push({ kind: 'paragraph', text: tableToText(header ?? [], rows) });
      i += table.length - 1;
      previous = undefined;
    } else {
      if (previous && startsParagraph(previous, line)) flush();
      paragraph = paragraph ? joinLines(paragraph, line.text) : line.text;
      previous = line;
    }
  }
  flush();
  return blocks;
}

/** The lines from `start` on whose cells line up with its cells, column for column, on one page. */
function tableAt(lines: readonly Line[], start: number): Line[] {
  const first = lines[start];
  if (!first || first.cells.length < 2) return [];
  const rows = [first];
  for (const line of lines.slice(start + 1)) {
    const aligned = line.page === first.page && line.cells.length === first.cells.length && line.cells.every((cell, i) => Math.abs(cell.x - (first.cells[i]?.x ?? Number.NaN)) <= COLUMN_TOLERANCE);
    if (!aligned) break;
    rows.push(line);
  }
  return rows;
}

/** The size most of the text is set in, weighted by characters. */
function bodySize(lines: readonly Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  let best = 0;
  let bestChars = -1;
  for (const [size, count] of chars) {
    if (count > bestChars) [best, bestChars] = [size, count];
  }
  return best;
}

function headingLevelsBySize(lines: readonly Line[], body: number): Map<number, number> {
  const sizes = [...new Set(lines.map((line) => line.size).filter((size) => size >= body * HEADING_RATIO))].sort((a, b) => b - a);
  return new Map(sizes.slice(0, 6).map((size, i) => [size, i + 1]));
}

function startsParagraph(previous: Line, line: Line): boolean {
  if (line.page !== previous.page || Math.abs(line.size - previous.size) > 0.5) return true;
  const gap = previous.y - line.y;
  return gap < 0 || gap > Math.max(previous.size, line.size) * PARAGRAPH_GAP;
}

/** Chinese wraps without spaces, so its lines join without one; other scripts join with a space. */
function joinLines(paragraph: string, next: string): string {
  const last = paragraph.at(-1) ?? '';
  const first = next.at(0) ?? '';
  return CJK.test(last) && CJK.test(first) ? paragraph + next : `${paragraph} ${next}`;
}
