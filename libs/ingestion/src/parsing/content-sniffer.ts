/** What the first bytes of a file say it is, whatever its declared content type. */
export type SniffedKind = 'pdf' | 'zip' | 'other';

const PDF_MAGIC = '%PDF-';
/** Producers may put junk before the header; PDF readers look for it in the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;

export function sniffBytes(bytes: Uint8Array): SniffedKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  const head = Buffer.from(bytes.subarray(0, PDF_HEADER_WINDOW)).toString('latin1');
  return head.includes(PDF_MAGIC) ? 'pdf' : 'other';
}

export function sniffText(text: string): SniffedKind {
  if (text.startsWith('PK\u0003\u0004')) return 'zip';
  return text.slice(0, PDF_HEADER_WINDOW).trimStart().startsWith(PDF_MAGIC) ? 'pdf' : 'other';
}

const DESCRIPTION: Record<SniffedKind, string> = { pdf: 'a PDF file', zip: 'a ZIP archive (such as a DOCX file)', other: 'something else' };

export function describeKind(kind: SniffedKind): string {
  return DESCRIPTION[kind];
}

/**
 * Share of characters that no text has: C0 controls other than tab and line breaks, and the
 * replacement character that stands for bytes that were not valid UTF-8.
 */
export function junkShare(text: string): number {
  if (text.length === 0) return 0;
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffd || code === 0x7f) junk++;
  }
  return junk / text.length;
}
