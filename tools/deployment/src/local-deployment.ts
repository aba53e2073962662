import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { ENTRY, freePort, startProcess, type StartedProcess } from './service.process.js';
import { deleteElasticsearchIndex, dropMilvusCollection } from './store-namespace.js';
import { createDatabase, dropDatabase } from './test-database.js';

export type ProfileName = 'embedded' | 'full';

/** A running deployment of the product, reached over HTTP only. */
export interface Deployment {
  readonly gatewayUrl: string;
  readonly ingestUrl: string;
  /** The administrator key the deployment was bootstrapped with (every scope, default tenant). */
  readonly adminKey: string;
  readonly output: () => string;
  /** The full profile's own names in the shared stores, for tools that query the stores directly. */
  readonly namespace?: { readonly milvusCollection: string; readonly elasticsearchIndex: string; readonly redisKeyPrefix: string };
  stop(): Promise<void>;
  /** Full profile: the store settings every process of the deployment runs with, for command-line tools. */
  readonly storeEnv?: Readonly<Record<string, string>>;
  /** Full profile: starts one more index worker process; `stop` stops it too. */
  readonly startWorker?: () => Promise<StartedProcess>;
}

/**
 * The all-in-one on a data folder the caller owns and removes (it survives `stop`). The folder
 * must be under the system's temporary folder, so that no run can touch real data.
 */
export async function startEmbedded(dataDir: string, env: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<Deployment> {
  if (!dataDir.startsWith(tmpdir())) throw new Error(`Refusing to run on a data folder outside ${tmpdir()}: ${dataDir}`);
  const port = await freePort();
  const adminKey = env.BOOTSTRAP_ADMIN_KEY ?? newAdminKey();
  const service = await startProcess(ENTRY.allInOne, { ...env, BOOTSTRAP_ADMIN_KEY: adminKey, PORT: String(port), DATA_DIR: dataDir }, `http://127.0.0.1:${port}`, signal);
  return { gatewayUrl: service.url, ingestUrl: service.url, adminKey, output: service.output, stop: () => service.stop() };
}

export interface FullDeploymentOptions {
  /** Names this run's Redis prefix, MySQL database, Milvus collection and ES index; MySQL allows `rag_test_*`. */
  readonly namespacePrefix: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Index worker processes (default 1); they share the outbox through SKIP LOCKED claims. */
  readonly workers?: number;
  /** Aborts the start-up: what was started is stopped and its namespace dropped, then it throws. */
  readonly signal?: AbortSignal;
}

/**
 * The full profile: the gateway, the ingest API and an index worker as three processes that share
 * nothing but the real test stores (scripts/stores/start-test-stores.sh), in a namespace of their
 * own (MySQL database, Milvus collection, Elasticsearch index) that `stop` drops again.
 */
export async function startFull(options: FullDeploymentOptions): Promise<Deployment> {
  const stores = testStoreUrls();
  if (!stores) throw new Error('The full profile needs the real test servers (scripts/stores/start-test-stores.sh).');
  const namespace = uniqueTestName(options.namespacePrefix);
  const mysqlUrl = await createDatabase(stores.mysqlUrl, namespace);
  const adminKey = newAdminKey();
  const env = {
    ...options.env,
    BOOTSTRAP_ADMIN_KEY: adminKey,
    PROFILE: 'full',
    REDIS_URL: stores.redisUrl,
    REDIS_KEY_PREFIX: `${namespace}:`,
    MYSQL_URL: mysqlUrl,
    MILVUS_ADDRESS: stores.milvusAddress,
    MILVUS_COLLECTION: namespace,
    ELASTICSEARCH_URL: stores.elasticsearchUrl,
    ELASTICSEARCH_INDEX: namespace.toLowerCase().replaceAll('_', '-'),
  };
  const started: StartedProcess[] = [];
  // The gateway's own folder holds its ledger spool (rows kept while SQL is down); no two processes share one.
  const gatewayData = mkdtempSync(join(tmpdir(), 'rag-gateway-'));
  const stopAll = async () => {
    await Promise.all(started.map((service) => service.stop()));
    rmSync(gatewayData, { recursive: true, force: true });
    // Every store is cleaned even when one refuses; the first refusal is reported after.
    const drops = await Promise.allSettled([
      dropDatabase(stores.mysqlUrl, namespace),
      dropMilvusCollection(stores.milvusAddress, env.MILVUS_COLLECTION),
      deleteElasticsearchIndex(stores.elasticsearchUrl, env.ELASTICSEARCH_INDEX),
    ]);
    const refused = drops.find((drop) => drop.status === 'rejected');
    if (refused) throw refused.reason;
  };
  const { signal } = options;
  try {
    const [gatewayPort, ingestPort] = [await freePort(), await freePort()];
    // The ingest API migrates the database; start it first so the others find the schema ready.
    const ingest = await startProcess(ENTRY.ingest, { ...env, PORT: String(ingestPort), INGEST_RUN_WORKER: 'false' }, `http://127.0.0.1:${ingestPort}`, signal);
    started.push(ingest);
    const gateway = await startProcess(ENTRY.gateway, { ...env, PORT: String(gatewayPort), DATA_DIR: gatewayData }, `http://127.0.0.1:${gatewayPort}`, signal);
    started.push(gateway);
    const startWorker = async () => {
      const worker = await startProcess(ENTRY.worker, env, null, signal);
      started.push(worker);
      return worker;
    };
    await Promise.all(Array.from({ length: options.workers ?? 1 }, startWorker));
    return {
      gatewayUrl: gateway.url,
      ingestUrl: ingest.url,
      adminKey,
      output: () => started.map((service) => service.output()).join('\n'),
      namespace: { milvusCollection: env.MILVUS_COLLECTION, elasticsearchIndex: env.ELASTICSEARCH_INDEX, redisKeyPrefix: env.REDIS_KEY_PREFIX },
      stop: stopAll,
      storeEnv: env,
      startWorker,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A fresh administrator secret per deployment, so no test shares or reuses a key. */
function newAdminKey(): string {
  return `rag_${randomBytes(32).toString('base64url')}`;
}
