import { openAsBlob, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isBinaryContentType, type ContentType } from '@rag/core';
import { loadClientConfig } from '@rag/config';
import { SingleBar } from 'cli-progress';
import { CONTENT_TYPE_BY_EXTENSION, contentTypeOfFileName } from '../content-type.resolver';

const SKIPPED_NAMES = new Set(['readme.md']);
/** base64 grows a file by a third; JSON adds a little per document. */
const BASE64_GROWTH = 4 / 3;

type Result = 'ingested' | 'updated' | 'unchanged' | 'failed';

interface Outcome {
  readonly file: string;
  readonly result: Result;
  readonly reason?: string;
}

interface Target {
  readonly url: string;
  readonly apiKey: string;
  readonly collection: string;
  readonly groups: readonly string[];
}

interface SourceFile {
  /** The path inside the folder: the document's externalId. */
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly contentType: ContentType;
}

/**
 * `ingest ./folder`: submits every Markdown, HTML, text, PDF and DOCX file under a folder to a
 * running ingest API, in batches (a file too big for a batch goes alone as an upload), shows a
 * progress bar, and ends with a summary. The externalId is the file's path inside the folder, so
 * running it again after edits makes new versions of the changed files only.
 */
async function main(): Promise<void> {
  const client = loadClientConfig(process.env);
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: client.url },
      collection: { type: 'string', default: 'default' },
      group: { type: 'string', multiple: true },
      'api-key': { type: 'string', default: client.apiKey },
      'batch-size': { type: 'string', default: '20' },
      'batch-bytes': { type: 'string', default: String(4 * 1024 * 1024) },
    },
  });
  const folder = positionals[0];
  if (!folder) throw new Error('Usage: ingest <folder> [--url http://127.0.0.1:8080] [--api-key KEY (or RAG_API_KEY)] [--collection NAME] [--group GROUP ...] [--batch-size 20] [--batch-bytes 4194304]');
  const apiKey = values['api-key'];
  if (!apiKey) throw new Error('An API key with the ingest scope is needed: pass --api-key or set RAG_API_KEY.');
  const batchSize = positiveNumber('--batch-size', values['batch-size']);
  const batchBytes = positiveNumber('--batch-bytes', values['batch-bytes']);
  const files = listFiles(resolve(folder));
  if (files.length === 0) throw new Error(`No ${Object.keys(CONTENT_TYPE_BY_EXTENSION).join(', ')} files under ${folder}.`);

  const target: Target = { url: values.url, apiKey, collection: values.collection, groups: values.group ?? [] };
  const bar = new SingleBar({ format: 'Ingesting [{bar}] {percentage}% | {value}/{total} files | {file}', hideCursor: true, clearOnComplete: false });
  bar.start(files.length, 0, { file: '' });
  const outcomes: Outcome[] = [];
  for (const group of batches(files, batchSize, batchBytes)) {
    const results = group.length === 1 && requestBytes(group[0] as SourceFile) > batchBytes ? [await upload(target, group[0] as SourceFile)] : await submitBatch(target, group);
    outcomes.push(...results);
    bar.increment(group.length, { file: basename(group.at(-1)?.name ?? '') });
  }
  bar.stop();
  printSummary(outcomes);
  if (outcomes.some((o) => o.result === 'failed')) process.exitCode = 1;
}

function positiveNumber(option: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`${option} must be a positive whole number, not "${value}".`);
  return number;
}

function listFiles(folder: string): SourceFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`There is no folder at ${folder}.`);
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .sort()
    .flatMap((entry) => {
      const path = join(folder, entry);
      const contentType = contentTypeOfFileName(path);
      if (!contentType || SKIPPED_NAMES.has(basename(path).toLowerCase())) return [];
      const stats = statSync(path);
      return stats.isFile() ? [{ name: relative(folder, path), path, bytes: stats.size, contentType }] : [];
    });
}

function requestBytes(file: SourceFile): number {
  return Math.ceil(file.bytes * BASE64_GROWTH) + 1024;
}

/** Consecutive files, at most `size` at a time and about `maxBytes` of request body; a larger file goes on its own. */
function* batches(files: readonly SourceFile[], size: number, maxBytes: number): Generator<SourceFile[]> {
  let group: SourceFile[] = [];
  let bytes = 0;
  for (const file of files) {
    const needed = requestBytes(file);
    if (group.length > 0 && (group.length >= size || bytes + needed > maxBytes)) {
      yield group;
      group = [];
      bytes = 0;
    }
    group.push(file);
    bytes += needed;
  }
  if (group.length > 0) yield group;
}

function titleOf(file: SourceFile, bytes: Buffer): string {
  const fallback = basename(file.name, extname(file.name));
  if (file.contentType !== 'text/markdown') return fallback;
  return /^#\s+(.+)$/m.exec(bytes.toString('utf8'))?.[1]?.trim() ?? fallback;
}

function documentOf(target: Target, file: SourceFile): Record<string, unknown> {
  const bytes = readFileSync(file.path);
  const content = isBinaryContentType(file.contentType) ? { contentBase64: bytes.toString('base64') } : { content: bytes.toString('utf8') };
  return { collection: target.collection, externalId: file.name, title: titleOf(file, bytes), contentType: file.contentType, acl: { groups: target.groups }, ...content };
}

interface BatchAnswer {
  results?: { outcome: Result; reason: string | null }[];
  error?: { message: string };
}

async function submitBatch(target: Target, files: readonly SourceFile[]): Promise<Outcome[]> {
  const body = JSON.stringify({ documents: files.map((file) => documentOf(target, file)) });
  const answer = await call<BatchAnswer>(target, '/v1/documents/batch', { 'content-type': 'application/json' }, body);
  if ('failure' in answer) return files.map((file) => ({ file: file.name, result: 'failed', reason: answer.failure }));
  return files.map((file, i) => {
    const result = answer.body.results?.[i];
    if (!result) return { file: file.name, result: 'failed', reason: 'the server returned no result for it' };
    return result.outcome === 'failed' ? { file: file.name, result: 'failed', reason: result.reason ?? 'unknown reason' } : { file: file.name, result: result.outcome };
  });
}

interface UploadAnswer {
  outcome?: Result;
  failureReason?: string | null;
}

/** One file as a multipart upload, streamed from disk. */
async function upload(target: Target, file: SourceFile): Promise<Outcome> {
  const form = new FormData();
  form.append('collection', target.collection);
  form.append('externalId', file.name);
  form.append('contentType', file.contentType);
  for (const group of target.groups) form.append('groups', group);
  form.append('file', await openAsBlob(file.path, { type: file.contentType }), basename(file.name));
  const answer = await call<UploadAnswer>(target, '/v1/documents/upload', {}, form);
  if ('failure' in answer) return { file: file.name, result: 'failed', reason: answer.failure };
  const outcome = answer.body.outcome ?? 'failed';
  return outcome === 'failed' ? { file: file.name, result: 'failed', reason: answer.body.failureReason ?? 'unknown reason' } : { file: file.name, result: outcome };
}

async function call<T>(target: Target, path: string, headers: Record<string, string>, body: string | FormData): Promise<{ body: T } | { failure: string }> {
  try {
    const response = await fetch(`${target.url}${path}`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${target.apiKey}` }, body });
    const json = (await response.json()) as T & { error?: { message: string } };
    if (!response.ok) return { failure: json.error?.message ?? `HTTP ${response.status}` };
    return { body: json };
  } catch (error) {
    return { failure: `cannot reach ${target.url}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function printSummary(outcomes: readonly Outcome[]): void {
  const count = (result: Result) => outcomes.filter((o) => o.result === result).length;
  process.stdout.write(`Ingested ${count('ingested')}, updated ${count('updated')}, unchanged ${count('unchanged')}, failed ${count('failed')}.\n`);
  for (const outcome of outcomes.filter((o) => o.result === 'failed')) process.stdout.write(`  failed: ${outcome.file}: ${outcome.reason}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
