import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Deployment, ENTRY, PROJECT_ROOT, startEmbedded, startFull } from '@rag/deployment';
import { testModelUrls, testStoreUrls, type TestModelUrls, type TestStoreUrls } from '@rag/testing';

/** A benchmark is one client sending many requests: the per-key and per-tenant limits are lifted. */
export const UNLIMITED = { RATE_LIMIT_PER_KEY_PER_MINUTE: '100000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '100000000', LOG_LEVEL: 'warn' } as const;

/** Something a benchmark needs that is not there; the message says what to run. */
export class MissingPrerequisiteError extends Error {}

export function requireBuilt(entries: readonly string[] = Object.values(ENTRY)): void {
  const missing = entries.filter((entry) => !existsSync(join(PROJECT_ROOT, entry)));
  if (missing.length > 0) throw new MissingPrerequisiteError(`The product is not built (${missing.join(', ')} is missing): run npm run build first.`);
}

export function requireStores(bench: string): TestStoreUrls {
  const missing = `${bench} needs the real test servers: start them with scripts/stores/start-test-stores.sh, then set -a; source .stores/urls.env; set +a.`;
  let urls: TestStoreUrls | null;
  try {
    urls = testStoreUrls();
  } catch (error) {
    throw new MissingPrerequisiteError(`${missing}\n(${(error as Error).message})`);
  }
  if (!urls) throw new MissingPrerequisiteError(`${missing} (CONTRACT_EMBEDDED_ONLY=1 is set.)`);
  return urls;
}

export function requireModels(bench: string): TestModelUrls {
  const missing = `${bench} needs the model servers: start them with scripts/models/start-model-servers.sh, then set -a; source .models/urls.env; set +a.`;
  let urls: TestModelUrls | null;
  try {
    urls = testModelUrls();
  } catch (error) {
    throw new MissingPrerequisiteError(`${missing}\n(${(error as Error).message})`);
  }
  if (!urls) throw new MissingPrerequisiteError(`${missing} (CONTRACT_EMBEDDED_ONLY=1 is set.)`);
  return urls;
}

/** The settings that make the product embed with the test embedding server. */
export function embeddingServerEnv(models: TestModelUrls): Record<string, string> {
  return {
    EMBEDDER_ADAPTER: 'openai',
    EMBEDDING_URL: models.embedding.url,
    EMBEDDING_MODEL: models.embedding.model,
    EMBEDDING_DIMENSIONS: String(models.embedding.dimensions),
    ...(models.embedding.inputTypeField ? { EMBEDDING_INPUT_TYPE_FIELD: models.embedding.inputTypeField } : {}),
  };
}

/** The all-in-one on a fresh temporary data folder (or the one given), removed when it stops unless given. */
export async function startEmbeddedProduct(env: Readonly<Record<string, string>> = {}, dataDir?: string): Promise<Deployment> {
  requireBuilt([ENTRY.allInOne]);
  const folder = dataDir ?? mkdtempSync(join(tmpdir(), 'rag-bench-'));
  const cleanUp = () => (dataDir ? undefined : rmSync(folder, { recursive: true, force: true }));
  try {
    const service = await startEmbedded(folder, { ...UNLIMITED, ...env });
    return { ...service, stop: () => service.stop().finally(cleanUp) };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** Gateway, ingest API and worker over the real test stores, in a namespace of their own. */
export async function startFullProduct(bench: string, env: Readonly<Record<string, string>> = {}): Promise<Deployment> {
  requireBuilt([ENTRY.gateway, ENTRY.ingest, ENTRY.worker]);
  requireStores(bench);
  return startFull({ namespacePrefix: `rag_test_bench_${bench.replace('-', '_')}`, env: { ...UNLIMITED, ...env } });
}

/** Runs `body` with the deployment and always stops it, also on Ctrl-C. */
export async function withDeployment<T>(start: () => Promise<Deployment>, body: (deployment: Deployment) => Promise<T>): Promise<T> {
  const deployment = await start();
  const stopOnSignal = () => void deployment.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    return await body(deployment);
  } catch (error) {
    const output = deployment.output().trim();
    if (output) process.stderr.write(`The product's output:\n${output.slice(-4000)}\n`);
    throw error;
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await deployment.stop();
  }
}
