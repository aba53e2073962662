import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadClientConfig } from '@rag/config';

const CONTENT_TYPES: Record<string, string> = { '.md': 'text/markdown', '.markdown': 'text/markdown', '.html': 'text/html', '.htm': 'text/html', '.txt': 'text/plain' };
const SKIPPED_NAMES = new Set(['readme.md']);

interface Outcome {
  readonly file: string;
  readonly result: 'ingested' | 'updated' | 'unchanged' | 'failed';
  readonly reason?: string;
}

/**
 * `ingest ./folder`: submits every Markdown, HTML and text file under a folder to a running
 * ingest API, shows progress, and ends with a summary. The externalId is the file's path inside
 * the folder, so running it again after edits makes new versions of the changed files only.
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
    },
  });
  const folder = positionals[0];
  if (!folder) throw new Error('Usage: ingest <folder> [--url http://127.0.0.1:8080] [--api-key KEY (or RAG_API_KEY)] [--collection NAME] [--group GROUP ...]');
  const apiKey = values['api-key'];
  if (!apiKey) throw new Error('An API key with the ingest scope is needed: pass --api-key or set RAG_API_KEY.');
  const files = listFiles(resolve(folder));
  if (files.length === 0) throw new Error(`No .md, .html or .txt files under ${folder}.`);
  const outcomes: Outcome[] = [];
  for (const [i, file] of files.entries()) {
    outcomes.push(await submit({ url: values.url, apiKey, collection: values.collection, groups: values.group ?? [] }, resolve(folder), file));
    process.stderr.write(`\r${progressBar(i + 1, files.length)} ${i + 1}/${files.length} ${basename(file)}`.padEnd(100));
  }
  process.stderr.write('\n');
  printSummary(outcomes);
  if (outcomes.some((o) => o.result === 'failed')) process.exitCode = 1;
}

function listFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`There is no folder at ${folder}.`);
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(folder, entry))
    .filter((path) => statSync(path).isFile() && extname(path).toLowerCase() in CONTENT_TYPES && !SKIPPED_NAMES.has(basename(path).toLowerCase()))
    .sort();
}

interface Target {
  readonly url: string;
  readonly apiKey: string;
  readonly collection: string;
  readonly groups: readonly string[];
}

async function submit({ url, apiKey, collection, groups }: Target, folder: string, file: string): Promise<Outcome> {
  const name = relative(folder, file);
  const content = readFileSync(file, 'utf8');
  const title = /^#\s+(.+)$/m.exec(content)?.[1]?.trim() ?? basename(file, extname(file));
  const body = { collection, externalId: name, title, content, contentType: CONTENT_TYPES[extname(file).toLowerCase()], acl: { groups } };
  try {
    const response = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) });
    const json = (await response.json()) as { version?: number; status?: string; unchanged?: boolean; failureReason?: string | null; error?: { message: string } };
    if (!response.ok) return { file: name, result: 'failed', reason: json.error?.message ?? `HTTP ${response.status}` };
    if (json.status === 'failed') return { file: name, result: 'failed', reason: json.failureReason ?? 'unknown reason' };
    if (json.unchanged) return { file: name, result: 'unchanged' };
    return { file: name, result: json.version === 1 ? 'ingested' : 'updated' };
  } catch (error) {
    return { file: name, result: 'failed', reason: `cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function printSummary(outcomes: readonly Outcome[]): void {
  const count = (result: Outcome['result']) => outcomes.filter((o) => o.result === result).length;
  process.stdout.write(`Ingested ${count('ingested')}, updated ${count('updated')}, unchanged ${count('unchanged')}, failed ${count('failed')}.\n`);
  for (const outcome of outcomes.filter((o) => o.result === 'failed')) process.stdout.write(`  failed: ${outcome.file}: ${outcome.reason}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
