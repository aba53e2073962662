import { parseArgs } from 'node:util';
import { toTenantId } from '@rag/core';
import { loadConfig } from '@rag/config';
import { createEmbedder } from '@rag/embedder';
import { differenceCount, IndexReconciler, IndexWriter, type IndexDifferences, type ReconcileReport } from '@rag/ingestion';
import { createKeywordIndex } from '@rag/keyword-index';
import { runService } from '@rag/platform';
import { createSqlStore } from '@rag/sql-store';
import { createVectorIndex } from '@rag/vector-index';

/** Ids shown per kind of difference; the counts are always complete. */
const SHOWN_IDS = 10;

/**
 * `reconcile [--tenant NAME] [--repair] [--json]`: compares the chunk ids in the vector and the
 * keyword index with the tenant's active chunks in SQL and prints what is missing or extra in
 * each. Exits 0 when there is no difference (after repairing, with --repair), 1 otherwise.
 */
runService('reconcile', async () => {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, repair: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const config = loadConfig(process.env);
  const tenantId = toTenantId(values.tenant ?? config.defaultTenant);
  const sqlStore = await createSqlStore(config);
  const vectorIndex = await createVectorIndex(config);
  const keywordIndex = await createKeywordIndex(config);
  const writer = new IndexWriter({ embedder: createEmbedder(config), embeddingCache: sqlStore, vectorIndex, keywordIndex }, config.embedder.batchSize);
  const reconciler = new IndexReconciler(sqlStore, vectorIndex, keywordIndex, writer);
  try {
    let report = await reconciler.check(tenantId);
    print(report, values.json);
    if (values.repair && differenceCount(report) > 0) {
      await reconciler.repair(report);
      report = await reconciler.check(tenantId);
      process.stdout.write(values.json ? '' : 'After repair:\n');
      print(report, values.json);
    }
    process.exitCode = differenceCount(report) === 0 ? 0 : 1;
  } finally {
    await Promise.all([sqlStore.close(), vectorIndex.close(), keywordIndex.close()]);
  }
});

function print(report: ReconcileReport, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [
    `Tenant "${report.tenantId}": ${report.activeChunks} active chunks in SQL.`,
    describeIndex('vector index', report.vector),
    describeIndex('keyword index', report.keyword),
  ];
  if (report.pendingEvents > 0) lines.push(`${report.pendingEvents} outbox events are not done yet; differences may be work in progress. Run again when the workers are idle.`);
  lines.push(differenceCount(report) === 0 ? 'No differences.' : `${differenceCount(report)} differences.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeIndex(name: string, differences: IndexDifferences): string {
  const sample = (ids: readonly string[]) => (ids.length === 0 ? '' : ` (${ids.slice(0, SHOWN_IDS).join(', ')}${ids.length > SHOWN_IDS ? ', …' : ''})`);
  return `  ${name}: holds ${differences.held}, missing ${differences.missing.length}${sample(differences.missing)}, extra ${differences.extra.length}${sample(differences.extra)}`;
}
