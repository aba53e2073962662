import { CONTENT_TYPES, type ContentType, DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE } from '@rag/core';

/** File extensions the ingest API and CLI recognise, and the content type each stands for. */
export const CONTENT_TYPE_BY_EXTENSION: Readonly<Record<string, ContentType>> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
  '.pdf': PDF_CONTENT_TYPE,
  '.docx': DOCX_CONTENT_TYPE,
};

/** Media types clients send for our formats under other names. */
const ALIASES: Readonly<Record<string, ContentType>> = { 'text/x-markdown': 'text/markdown', 'application/xhtml+xml': 'text/html', 'application/x-pdf': PDF_CONTENT_TYPE };

export function contentTypeOfFileName(fileName: string): ContentType | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPE_BY_EXTENSION[fileName.slice(dot).toLowerCase()];
}

/** A declared media type (without parameters such as charset) when it names one of our formats. */
export function contentTypeOfMediaType(mediaType: string | undefined): ContentType | undefined {
  const bare = (mediaType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (CONTENT_TYPES as readonly string[]).includes(bare) ? (bare as ContentType) : ALIASES[bare];
}
