import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectMysql } from '@rag/sql-store';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { sql } from 'kysely';

export type ProfileName = 'embedded' | 'full';

/** A running deployment of the product, reached over HTTP only. */
export interface Deployment {
  readonly gatewayUrl: string;
  readonly ingestUrl: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = {
  allInOne: 'services/all-in-one/dist/main.js',
  gateway: 'services/gateway/dist/main.js',
  ingest: 'services/ingest/dist/main.js',
  worker: 'services/ingest/dist/worker.main.js',
};

/**
 * The embedded profile runs the all-in-one on a temporary data folder. The full profile runs the
 * gateway, the ingest API and an index worker as three processes that share nothing but the real
 * stores, each test run in its own Redis prefix, MySQL database, Milvus collection and ES index.
 */
export async function startDeployment(profile: ProfileName): Promise<Deployment> {
  if (profile === 'full') return startFull();
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-e2e-'));
  const service = await startEmbedded(dataDir);
  return { ...service, stop: () => service.stop().then(() => rmSync(dataDir, { recursive: true, force: true })) };
}

/** The all-in-one on a data folder the caller owns and removes (it survives `stop`). */
export async function startEmbedded(dataDir: string): Promise<Deployment> {
  if (!dataDir.startsWith(tmpdir())) throw new Error(`Refusing to run tests on a data folder outside ${tmpdir()}: ${dataDir}`);
  const port = await freePort();
  const service = await startProcess(ENTRY.allInOne, { PORT: String(port), DATA_DIR: dataDir }, `http://127.0.0.1:${port}`);
  return { gatewayUrl: service.url, ingestUrl: service.url, output: service.output, stop: () => service.stop() };
}

/** Runs one of the project's command-line tools to completion and returns what it printed. */
export function runCli(entry: 'reindex' | 'ingest', args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const script = entry === 'reindex' ? 'services/ingest/dist/cli/reindex.cli.js' : 'services/ingest/dist/cli/ingest.cli.js';
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

async function startFull(): Promise<Deployment> {
  const stores = testStoreUrls();
  if (!stores) throw new Error('The full profile needs the real test servers (scripts/stores/start-test-stores.sh).');
  const namespace = uniqueTestName('rag_test_e2e');
  const mysqlUrl = await createDatabase(stores.mysqlUrl, namespace);
  const env = {
    PROFILE: 'full',
    REDIS_URL: stores.redisUrl,
    REDIS_KEY_PREFIX: `${namespace}:`,
    MYSQL_URL: mysqlUrl,
    MILVUS_ADDRESS: stores.milvusAddress,
    MILVUS_COLLECTION: namespace,
    ELASTICSEARCH_URL: stores.elasticsearchUrl,
    ELASTICSEARCH_INDEX: namespace.toLowerCase().replaceAll('_', '-'),
  };
  const [gatewayPort, ingestPort] = [await freePort(), await freePort()];
  // The ingest API migrates the database; start it first so the others find the schema ready.
  const ingest = await startProcess(ENTRY.ingest, { ...env, PORT: String(ingestPort), INGEST_RUN_WORKER: 'false' }, `http://127.0.0.1:${ingestPort}`);
  const gateway = await startProcess(ENTRY.gateway, { ...env, PORT: String(gatewayPort) }, `http://127.0.0.1:${gatewayPort}`);
  const worker = await startProcess(ENTRY.worker, env, null);
  return {
    gatewayUrl: gateway.url,
    ingestUrl: ingest.url,
    output: () => [gateway.output(), ingest.output(), worker.output()].join('\n'),
    stop: async () => {
      await Promise.all([gateway.stop(), ingest.stop(), worker.stop()]);
      await dropDatabase(stores.mysqlUrl, namespace);
    },
  };
}

interface StartedProcess {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function startProcess(entry: string, env: Record<string, string>, url: string | null): Promise<StartedProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, entry)], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_POLL_MS: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  if (url) await waitUntilReady(url, child, () => output);
  else await waitForStart(child, () => output);
  return { url: url ?? '', output: () => output, stop: () => stopProcess(child) };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`A service exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`A service did not become ready at ${url}:\n${output()}`);
}

/** A process without HTTP is started when it is still alive after its stores had time to connect. */
async function waitForStart(child: ChildProcess, output: () => string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  if (child.exitCode !== null) throw new Error(`A service exited with ${child.exitCode}:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const db = await connectMysql(serverUrl);
  await sql.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`).execute(db);
  await db.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const db = await connectMysql(serverUrl);
  await sql.raw(`DROP DATABASE IF EXISTS \`${name}\``).execute(db);
  await db.destroy();
}
