import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CorpusEntry, type Dataset, DatasetError } from './dataset.loader.js';

/**
 * A dataset whose corpus entries are parts (articles) of longer documents, as stard_laws is: the
 * whole documents are ingested, and each hit is scored by the articles its text holds.
 */
export interface WholeDocuments {
  /** The documents to ingest, as Markdown: id, title and text. */
  readonly documents: readonly CorpusEntry[];
  /** Corpus (article) ids of the text of a hit from the document with this id, in reading order. */
  articlesOf(documentId: string, text: string): string[];
}

interface ArticleLine {
  readonly line: string;
  readonly articleId: string;
}

/** A line this short could be part of many articles; it is matched only exactly. */
const MIN_PARTIAL_LINE = 8;

export function loadWholeDocuments(dataset: Dataset): WholeDocuments {
  const file = resolve(dataset.folder, 'documents.jsonl');
  if (!existsSync(file)) throw new DatasetError(`--whole-documents needs ${file}: whole documents whose parts are the corpus entries (as in stard_laws).`);
  const documents = readWholeDocuments(file);
  const lines = articleLines(resolve(dataset.folder, 'corpus.jsonl'));
  return { documents, articlesOf: (documentId, text) => articlesIn(lines.get(documentId), text) };
}

/** The documents of a documents.jsonl file (id, title, text), in file order. */
export function readWholeDocuments(file: string): CorpusEntry[] {
  return jsonLines(file).map((row) => ({ id: String(row.id), title: typeof row.title === 'string' ? row.title : '', text: String(row.text) }));
}

/** Only the documents that hold a relevant article of the given queries, then others in file order, up to `size`. */
export function documentsFor(whole: WholeDocuments, dataset: Dataset, size: number): CorpusEntry[] {
  const wanted = new Set(dataset.queries.flatMap((query) => [...(dataset.relevant.get(query.id) ?? [])].map((id) => id.split('#')[0])));
  let fillers = Math.max(0, size - wanted.size);
  return whole.documents.filter((document) => {
    if (wanted.has(document.id)) return true;
    if (fillers === 0) return false;
    fillers--;
    return true;
  });
}

function articleLines(corpusFile: string): Map<string, ArticleLine[]> {
  const byDocument = new Map<string, ArticleLine[]>();
  for (const row of jsonLines(corpusFile)) {
    const documentId = String(row.doc_id);
    const list = byDocument.get(documentId) ?? [];
    for (const line of String(row.text).split('\n')) {
      const normalized = squeeze(line);
      if (normalized) list.push({ line: normalized, articleId: String(row.id) });
    }
    byDocument.set(documentId, list);
  }
  return byDocument;
}

/** Each line of the hit belongs to the article that has it; a long paragraph cut into parts is found by containment. */
function articlesIn(lines: readonly ArticleLine[] | undefined, text: string): string[] {
  if (!lines) return [];
  const found: string[] = [];
  for (const raw of text.split('\n')) {
    const line = squeeze(raw);
    if (!line) continue;
    const exact = lines.find((entry) => entry.line === line);
    const partial = exact ?? (line.length >= MIN_PARTIAL_LINE ? lines.find((entry) => entry.line.includes(line) || line.includes(entry.line)) : undefined);
    if (partial && !found.includes(partial.articleId)) found.push(partial.articleId);
  }
  return found;
}

function squeeze(text: string): string {
  return text.replace(/\s+/gu, '');
}

function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
