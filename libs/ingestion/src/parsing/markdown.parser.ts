import { Lexer, type Token, type Tokens } from 'marked';
import { type ContentBlock, tableToText } from './content-block';

/** Markdown to blocks with the `marked` lexer: headings, paragraphs, lists, tables and code. */
export function parseMarkdown(markdown: string): ContentBlock[] {
  return Lexer.lex(markdown).flatMap(toBlocks);
}

function toBlocks(token: Token): ContentBlock[] {
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      return [{ kind: 'heading', level: heading.depth, text: plain(heading.tokens) }];
    }
    case 'paragraph':
      return paragraph(plain((token as Tokens.Paragraph).tokens));
    case 'list':
      return paragraph((token as Tokens.List).items.map((item) => plain(item.tokens)).join('\n'));
    case 'table': {
      const table = token as Tokens.Table;
      return paragraph(tableToText(table.header.map((cell) => plain(cell.tokens)), table.rows.map((row) => row.map((cell) => plain(cell.tokens)))));
    }
    case 'code':
      return paragraph((token as Tokens.Code).text);
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(toBlocks);
    default:
      return 'text' in token && typeof token.text === 'string' && token.type !== 'space' && token.type !== 'hr' ? paragraph(token.text) : [];
  }
}

function paragraph(text: string): ContentBlock[] {
  const trimmed = text.trim();
  return trimmed ? [{ kind: 'paragraph', text: trimmed }] : [];
}

/** Inline tokens to plain text: emphasis, links and code spans keep only their words. */
function plain(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) return plain(token.tokens);
      if (token.type === 'br') return '\n';
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('')
    .trim();
}
