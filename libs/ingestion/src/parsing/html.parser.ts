import { parseDocument } from 'htmlparser2';
import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { type ContentBlock, tableToText, UnparsableDocumentError } from './content-block';

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'nav', 'svg', 'iframe']);
const HEADING = /^h([1-6])$/;
const CONTAINER = new Set(['table', 'div', 'section', 'article', 'main', 'ul', 'ol', 'dl', 'header', 'footer', 'aside', 'body', 'html']);
const BLOCK = new Set(['p', 'li', 'pre', 'blockquote', 'dd', 'dt', 'figcaption', 'caption', 'address']);
const CELL = new Set(['td', 'th']);
const HEADER_CELL: string = 'th';
/** Past this depth nesting carries no structure worth keeping; the subtree becomes one paragraph. */
const MAX_DEPTH = 64;

export interface HtmlOptions {
  /** Deeper nesting than this fails the document (MAX_HTML_DEPTH): no real page needs it. */
  readonly maxDepth: number;
  /** Read a table's first row as its header even without `th` cells (Word tables rarely mark it). */
  readonly firstRowIsHeader?: boolean;
}

/** HTML to blocks with htmlparser2: headings, paragraphs, list items and tables, scripts dropped. */
export function parseHtml(html: string, options: HtmlOptions): ContentBlock[] {
  const root = parseDocument(html);
  const depth = nestingDepth(root.children);
  if (depth > options.maxDepth) throw new UnparsableDocumentError(`The HTML is nested ${depth} elements deep; the limit (MAX_HTML_DEPTH) is ${options.maxDepth}.`);
  const blocks: ContentBlock[] = [];
  walk(root.children, blocks, 0, options.firstRowIsHeader ?? false);
  return blocks;
}

/** Without recursion, so hostile nesting cannot exhaust the stack while it is measured. */
function nestingDepth(nodes: readonly ChildNode[]): number {
  let deepest = 0;
  const stack: [ChildNode, number][] = nodes.map((node) => [node, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [ChildNode, number];
    if (!isElement(node)) continue;
    deepest = Math.max(deepest, depth);
    for (const child of node.children) stack.push([child, depth + 1]);
  }
  return deepest;
}

function walk(nodes: readonly ChildNode[], blocks: ContentBlock[], depth: number, firstRowIsHeader: boolean): void {
  let inline = '';
  const flushInline = () => {
    pushParagraph(blocks, inline);
    inline = '';
  };
  for (const node of nodes) {
    if (isText(node)) {
      inline += node.data;
      continue;
    }
    if (!isElement(node) || SKIPPED.has(node.name)) continue;
    const heading = HEADING.exec(node.name);
    if (heading) {
      flushInline();
      const text = textOf(node).trim();
      if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
    } else if (node.name === 'table') {
      flushInline();
      pushParagraph(blocks, tableText(node, firstRowIsHeader));
    } else if (BLOCK.has(node.name) || depth >= MAX_DEPTH) {
      flushInline();
      pushParagraph(blocks, textOf(node));
    } else if (node.name === 'br') {
      inline += '\n';
    } else if (hasBlockChildren(node)) {
      flushInline();
      walk(node.children, blocks, depth + 1, firstRowIsHeader);
    } else {
      inline += textOf(node);
    }
  }
  flushInline();
}

function pushParagraph(blocks: ContentBlock[], text: string): void {
  const cleaned = text.replace(/[ \t\r\f\v]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  if (cleaned) blocks.push({ kind: 'paragraph', text: cleaned });
}

function tableText(table: Element, firstRowIsHeader: boolean): string {
  const rows = elementsNamed(table, 'tr').map((row) => row.children.filter(isElement).filter((cell) => CELL.has(cell.name)));
  const [first, ...rest] = rows;
  if (!first) return '';
  const headed = (firstRowIsHeader && rest.length > 0) || first.every((cell) => cell.name === HEADER_CELL);
  const header = headed ? first.map(cellText) : [];
  const body = (headed ? rest : rows).map((cells) => cells.map(cellText));
  return tableToText(header, body);
}

function elementsNamed(root: Element, name: string): Element[] {
  const found: Element[] = [];
  const stack: ChildNode[] = [...root.children];
  while (stack.length > 0) {
    const node = stack.shift() as ChildNode;
    if (!isElement(node)) continue;
    if (node.name === name) found.push(node);
    else stack.unshift(...node.children);
  }
  return found;
}

function hasBlockChildren(element: Element): boolean {
  return element.children.some((child) => isElement(child) && !SKIPPED.has(child.name) && (BLOCK.has(child.name) || HEADING.test(child.name) || CONTAINER.has(child.name)));
}

/** Text of a subtree without recursion, so hostile nesting cannot exhaust the stack. */
function textOf(root: ChildNode): string {
  let text = '';
  // A string on the stack is text to emit once the element before it is done (a block's line end).
  const stack: (ChildNode | string)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as ChildNode | string;
    if (typeof node === 'string') text += node;
    else if (isText(node)) text += node.data;
    else if (isElement(node) && !SKIPPED.has(node.name)) {
      if (node.name === 'br') text += '\n';
      if (node !== root && BLOCK.has(node.name)) stack.push('\n');
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ChildNode);
    }
  }
  return text;
}

function cellText(cell: Element): string {
  return textOf(cell).replace(/\s+/g, ' ').trim();
}

function isElement(node: ChildNode): node is Element {
  return isTag(node);
}
