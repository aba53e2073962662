import { unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { type ContentBlock, UnparsableDocumentError } from './content-block';
import { describeKind, sniffBytes } from './content-sniffer';
import { parseHtml } from './html.parser';
import { ParseDeadline, type ParseLimits } from './parse-limits';

/**
 * DOCX to blocks: mammoth turns Word's styles into HTML (headings, lists, tables), and the HTML
 * parser takes it from there. Word rarely marks a table's header row, so the first row is read as
 * the header.
 */
export async function parseDocx(bytes: Uint8Array, limits: ParseLimits): Promise<ContentBlock[]> {
  const kind = sniffBytes(bytes);
  if (kind !== 'zip') throw new UnparsableDocumentError(`The content is declared DOCX but is not a ZIP archive; it looks like ${describeKind(kind)}.`);
  const expanded = declaredExpandedBytes(bytes);
  if (expanded > limits.maxDocxExpandedBytes) {
    throw new UnparsableDocumentError(`The DOCX file expands to ${expanded} bytes; the limit (MAX_DOCX_EXPANDED_BYTES) is ${limits.maxDocxExpandedBytes}.`);
  }
  const deadline = new ParseDeadline(limits.parseTimeoutMs);
  const html = await deadline.within('reading the DOCX', toHtml(bytes));
  deadline.check('converting the DOCX');
  return parseHtml(html, { maxDepth: limits.maxHtmlDepth, firstRowIsHeader: true });
}

/** The sizes the archive's directory declares, read without inflating anything. */
function declaredExpandedBytes(bytes: Uint8Array): number {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        return false;
      },
    });
  } catch (error) {
    throw new UnparsableDocumentError(`The DOCX file could not be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return total;
}

async function toHtml(bytes: Uint8Array): Promise<string> {
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return result.value;
  } catch (error) {
    throw new UnparsableDocumentError(`The DOCX file could not be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}
