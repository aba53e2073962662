import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';

/** What a test DOCX holds: Word headings, paragraphs, bulleted lists and tables (first row the header). */
export type DocxBlock =
  | { readonly heading: string; readonly level: 1 | 2 | 3 }
  | { readonly paragraph: string }
  | { readonly bullets: readonly string[] }
  | { readonly table: readonly (readonly string[])[] };

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

/** Builds a DOCX in memory with the `docx` package, styled as Word would style it. */
export async function buildDocx(blocks: readonly DocxBlock[]): Promise<Uint8Array> {
  const doc = new Document({ sections: [{ children: blocks.flatMap(toChildren) }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

function toChildren(block: DocxBlock): (Paragraph | Table)[] {
  if ('heading' in block) return [new Paragraph({ text: block.heading, heading: HEADINGS[block.level] })];
  if ('paragraph' in block) return [new Paragraph({ text: block.paragraph })];
  if ('bullets' in block) return block.bullets.map((text) => new Paragraph({ text, bullet: { level: 0 } }));
  return [new Table({ rows: block.table.map((cells) => new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph({ text })] })) })) })];
}
