import { randomBytes } from 'node:crypto';

/** Where the real test servers listen, as scripts/stores/start-test-stores.sh exports them. */
export interface TestStoreUrls {
  readonly redisUrl: string;
  readonly mysqlUrl: string;
  readonly milvusAddress: string;
  readonly elasticsearchUrl: string;
}

const VARIABLES = ['STORES_REDIS_URL', 'STORES_MARIADB_URL', 'STORES_MILVUS_URL', 'STORES_ELASTICSEARCH_URL'] as const;

/**
 * The real servers' addresses. Contract suites run against them unless CONTRACT_EMBEDDED_ONLY=1
 * says explicitly that only the embedded adapters are wanted; a missing address is an error, never
 * a silent skip. Every address must be on loopback: tests never touch anything else.
 */
export function testStoreUrls(): TestStoreUrls | null {
  const env = process.env;
  if (env.CONTRACT_EMBEDDED_ONLY === '1') return null;
  const missing = VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: start the test servers with scripts/stores/start-test-stores.sh and source .stores/urls.env, or set CONTRACT_EMBEDDED_ONLY=1.`);
  }
  const urls = {
    redisUrl: env.STORES_REDIS_URL as string,
    mysqlUrl: env.STORES_MARIADB_URL as string,
    milvusAddress: new URL(env.STORES_MILVUS_URL as string).host,
    elasticsearchUrl: env.STORES_ELASTICSEARCH_URL as string,
  };
  for (const url of [urls.redisUrl, urls.mysqlUrl, `http://${urls.milvusAddress}`, urls.elasticsearchUrl]) {
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`Refusing to test against ${host}: test servers must be on loopback.`);
  }
  return urls;
}

/** A name no other test uses, for a key prefix, index, collection or database. */
export function uniqueTestName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
