import type { ContentType } from '@rag/core';
import { type ContentBlock, UnparsableDocumentError } from './content-block';
import { parseHtml } from './html.parser';
import { parseMarkdown } from './markdown.parser';
import { parsePlainText } from './plain-text.parser';

/** Parses content of a supported type into blocks; throws UnparsableDocumentError with the reason. */
export function parseDocument(content: string, contentType: ContentType): ContentBlock[] {
  if (content.includes('\u0000')) throw new UnparsableDocumentError('The content contains NUL bytes; it looks like binary data, not text.');
  const blocks = parseByType(content, contentType);
  if (!blocks.some((block) => block.kind === 'paragraph')) {
    throw new UnparsableDocumentError(`The ${contentType} content has no text to index.`);
  }
  return blocks;
}

function parseByType(content: string, contentType: ContentType): ContentBlock[] {
  switch (contentType) {
    case 'text/plain':
      return parsePlainText(content);
    case 'text/markdown':
      return parseMarkdown(content);
    case 'text/html':
      return parseHtml(content);
  }
}
