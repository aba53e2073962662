import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

export interface CorpusEntry {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export interface DatasetQuery {
  readonly id: string;
  readonly text: string;
  /** Gold answers, where the set has them (cmrc2018, drcd); empty otherwise. */
  readonly answers: readonly string[];
}

/** A retrieval set in the format of the shared datasets: corpus.jsonl, queries.jsonl, qrels.tsv. */
export interface Dataset {
  readonly name: string;
  readonly folder: string;
  readonly corpus: readonly CorpusEntry[];
  readonly queries: readonly DatasetQuery[];
  /** Relevant corpus ids (qrels score above 0) by query id. */
  readonly relevant: ReadonlyMap<string, ReadonlySet<string>>;
}

export const DATASET_FILES = ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv'] as const;

/** A problem with the dataset folder the user named, reported as it is and ending the run. */
export class DatasetError extends Error {}

export function loadDataset(folder: string): Dataset {
  const given = resolve(folder);
  if (!existsSync(given) || !statSync(given).isDirectory()) {
    throw new DatasetError(
      `There is no dataset folder at ${given}.\n` +
        `Expected a folder holding ${DATASET_FILES.join(', ')}. The public sets live in ../shared/datasets ` +
        `(cmrc2018, drcd, tatqa, stard_laws), e.g. npm run eval -- ../shared/datasets/cmrc2018 --quick`,
    );
  }
  const path = realpathSync(given);
  const missing = DATASET_FILES.filter((file) => !existsSync(resolve(path, file)));
  if (missing.length > 0) throw new DatasetError(`The dataset folder ${path} has no ${missing.join(', ')}: expected ${DATASET_FILES.join(', ')}.`);
  return {
    name: basename(path),
    folder: path,
    corpus: readJsonLines(resolve(path, 'corpus.jsonl')).map((row, i) => ({ id: field(row, 'id', 'corpus.jsonl', i), title: optionalField(row, 'title'), text: field(row, 'text', 'corpus.jsonl', i) })),
    queries: readJsonLines(resolve(path, 'queries.jsonl')).map((row, i) => ({ id: field(row, 'id', 'queries.jsonl', i), text: field(row, 'text', 'queries.jsonl', i), answers: stringList(row, 'answers') })),
    relevant: readQrels(resolve(path, 'qrels.tsv')),
  };
}

function readJsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DatasetError(`${file} line ${i + 1} is not a JSON object.`);
      return parsed as Record<string, unknown>;
    });
}

function field(row: Record<string, unknown>, name: string, file: string, index: number): string {
  const value = row[name];
  if (typeof value !== 'string') throw new DatasetError(`${file} line ${index + 1} has no string "${name}".`);
  return value;
}

function optionalField(row: Record<string, unknown>, name: string): string {
  const value = row[name];
  return typeof value === 'string' ? value : '';
}

function stringList(row: Record<string, unknown>, name: string): string[] {
  const value = row[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim().length > 0) : [];
}

/** qrels.tsv: a header line, then query-id, corpus-id and score separated by tabs. */
function readQrels(file: string): Map<string, Set<string>> {
  const relevant = new Map<string, Set<string>>();
  const lines = readFileSync(file, 'utf8').split('\n').slice(1);
  lines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    const [queryId, corpusId, score] = line.split('\t');
    if (queryId === undefined || corpusId === undefined || score === undefined) throw new DatasetError(`${file} line ${i + 2} does not have three tab-separated columns.`);
    if (Number(score) <= 0) return;
    const set = relevant.get(queryId) ?? new Set<string>();
    set.add(corpusId.trim());
    relevant.set(queryId, set);
  });
  return relevant;
}
