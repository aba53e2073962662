import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '@rag/deployment';
import { type CorpusEntry, loadDataset, readWholeDocuments } from '@rag/eval';
import { MissingPrerequisiteError } from './product.starter.js';

/** Documents and questions a benchmark sends, Chinese and English interleaved. */
export interface BenchCorpus {
  readonly source: string;
  readonly documents: readonly CorpusEntry[];
  readonly queries: readonly string[];
}

/** The repository's own bilingual fixture: always present, so the quick runs work on a fresh clone. */
export const FIXTURE = 'test/fixtures/eval-mini';
/** A Chinese and an English public set from ../shared/datasets. */
export const FULL_SETS = ['cmrc2018', 'tatqa'] as const;

export function benchCorpus(quick: boolean, datasets: string): BenchCorpus {
  if (quick) return fromFolders([join(PROJECT_ROOT, FIXTURE)], FIXTURE);
  const folders = FULL_SETS.map((name) => join(datasets, name));
  const missing = folders.filter((folder) => !existsSync(folder));
  if (missing.length > 0) {
    throw new MissingPrerequisiteError(
      `The full benchmarks use the public datasets ${FULL_SETS.join(' and ')}, not found at ${missing.join(', ')}. ` +
        'Name their parent folder with --datasets DIR, or run with --quick, which uses the repository\'s own fixture.',
    );
  }
  return fromFolders(folders, FULL_SETS.join('+'));
}

function fromFolders(folders: readonly string[], source: string): BenchCorpus {
  const sets = folders.map((folder) => loadDataset(folder));
  const documents = interleave(sets.map((set) => set.corpus.filter((entry) => entry.text.trim().length > 0)));
  const queries = interleave(sets.map((set) => set.queries.map((query) => query.text.trim()).filter((text) => text.length > 0)));
  return { source, documents, queries: [...new Set(queries)] };
}

/** One from each list in turn, so any prefix mixes the languages. */
export function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const out: T[] = [];
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i] as T);
  return out;
}

/** Whole laws from stard_laws (Markdown, about 8,000 characters each): many chunks per document. */
export const LONG_DOCUMENTS_SET = 'stard_laws';

/** The whole documents of stard_laws, or null when that set is not in the datasets folder. */
export function longDocuments(datasets: string): CorpusEntry[] | null {
  const file = join(datasets, LONG_DOCUMENTS_SET, 'documents.jsonl');
  return existsSync(file) ? readWholeDocuments(file) : null;
}
