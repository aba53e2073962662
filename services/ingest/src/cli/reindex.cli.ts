import { parseArgs } from 'node:util';
import { toTenantId } from '@rag/core';
import { loadConfig } from '@rag/config';
import { createEmbedder } from '@rag/embedder';
import { IndexRebuilder, IndexWriter } from '@rag/ingestion';
import { createKeywordIndex } from '@rag/keyword-index';
import { runService } from '@rag/platform';
import { createSqlStore } from '@rag/sql-store';
import { createVectorIndex } from '@rag/vector-index';

/**
 * `reindex --tenant NAME`: rebuilds the tenant's vector and keyword indexes from the SQL store,
 * using the stores the environment configures (the same settings as the services).
 */
runService('reindex', async () => {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
  const config = loadConfig(process.env);
  const tenantId = toTenantId(values.tenant ?? config.defaultTenant);
  const sqlStore = await createSqlStore(config);
  const vectorIndex = await createVectorIndex(config);
  const keywordIndex = await createKeywordIndex(config);
  const writer = new IndexWriter({ embedder: createEmbedder(config), embeddingCache: sqlStore, vectorIndex, keywordIndex }, config.embedder.batchSize);
  try {
    const started = performance.now();
    const written = await new IndexRebuilder(sqlStore, writer).rebuildTenant(tenantId, (count) => process.stderr.write(`\rReindexed ${count} chunks`));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`\nRebuilt the indexes of tenant "${tenantId}": ${written} chunks in ${seconds.toFixed(1)} s.\n`);
  } finally {
    await Promise.all([sqlStore.close(), vectorIndex.close(), keywordIndex.close()]);
  }
});
