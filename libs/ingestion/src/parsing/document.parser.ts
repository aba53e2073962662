import { type ContentType, DOCX_CONTENT_TYPE, isBinaryContentType, PDF_CONTENT_TYPE } from '@rag/core';
import { type ContentBlock, UnparsableDocumentError } from './content-block';
import { describeKind, junkShare, sniffText } from './content-sniffer';
import { parseDocx } from './docx.parser';
import { parseHtml } from './html.parser';
import { parseMarkdown } from './markdown.parser';
import { type ParseLimits } from './parse-limits';
import { parsePdf } from './pdf.parser';
import { parsePlainText } from './plain-text.parser';

/** Text with more than this share of control or replacement characters is binary data, not text. */
const MAX_JUNK_SHARE = 0.01;

/**
 * Parses content of a supported type into blocks; throws UnparsableDocumentError with the reason.
 * Binary formats arrive base64-encoded, as a DocumentSubmission carries them.
 */
export async function parseDocument(content: string, contentType: ContentType, limits: ParseLimits): Promise<ContentBlock[]> {
  const blocks = isBinaryContentType(contentType) ? await parseBinary(Buffer.from(content, 'base64'), contentType, limits) : parseText(content, contentType, limits);
  if (!blocks.some((block) => block.kind === 'paragraph')) {
    const hint = contentType === PDF_CONTENT_TYPE ? ' (a scanned PDF holds only images, and text recognition is not supported)' : '';
    throw new UnparsableDocumentError(`The ${contentType} content has no text to index${hint}.`);
  }
  return blocks;
}

async function parseBinary(bytes: Uint8Array, contentType: ContentType, limits: ParseLimits): Promise<ContentBlock[]> {
  if (bytes.length === 0) throw new UnparsableDocumentError(`The ${contentType} file is empty.`);
  return contentType === DOCX_CONTENT_TYPE ? parseDocx(bytes, limits) : parsePdf(bytes, limits);
}

function parseText(content: string, contentType: ContentType, limits: ParseLimits): ContentBlock[] {
  const kind = sniffText(content);
  if (kind !== 'other') throw new UnparsableDocumentError(`The content is declared ${contentType} but looks like binary data, ${describeKind(kind)}; submit it with its own content type.`);
  if (content.includes('\u0000') || junkShare(content) > MAX_JUNK_SHARE) {
    throw new UnparsableDocumentError('The content contains control characters or bytes that are not UTF-8; it looks like binary data, not text.');
  }
  try {
    return parseTextByType(content, contentType, limits);
  } catch (error) {
    // Markup nested past the parser's recursion depth is the document's fault, not ours.
    if (error instanceof RangeError) throw new UnparsableDocumentError(`The ${contentType} content is nested too deeply to parse.`);
    throw error;
  }
}

function parseTextByType(content: string, contentType: ContentType, limits: ParseLimits): ContentBlock[] {
  switch (contentType) {
    case 'text/plain':
      return parsePlainText(content);
    case 'text/markdown':
      return parseMarkdown(content);
    case 'text/html':
      return parseHtml(content, { maxDepth: limits.maxHtmlDepth });
    default:
      throw new UnparsableDocumentError(`${contentType} is not a text format.`);
  }
}
