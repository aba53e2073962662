/** A document flattened into blocks in reading order; headings open sections. */
export type ContentBlock =
  | { readonly kind: 'heading'; readonly level: number; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string };

export class UnparsableDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnparsableDocumentError';
  }
}

/** Renders a table so each row reads on its own: `Header: value; Header: value`. */
export function tableToText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return rows
    .map((row) => row.map((cell, i) => (header[i] ? `${header[i]}: ${cell}` : cell)).join('; '))
    .join('\n');
}
