import type { ContentBlock } from './content-block';

/** Plain text has no markup: blank lines separate paragraphs. */
export function parsePlainText(text: string): ContentBlock[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => ({ kind: 'paragraph', text: paragraph }));
}
