import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toTenantId } from '@rag/core';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSqlite } from '../sqlite/sqlite.connection';
import type { DatabaseSchema } from './database.schema';
import { KyselySqlStore } from './kysely.sql-store';
import { migrationProvider } from './migrations';

const tenantId = toTenantId('bank-a');
const LEGACY_IDS = ['doc_old@2#0.0', 'doc_old@2#0.1'];

/** A database as the release before content-addressed chunk ids left it: version 2 of a document active. */
async function writeLegacyDocument(db: Kysely<DatabaseSchema>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo('0006_content_type_128');
  if (error) throw new Error('Could not migrate to the release before content-addressed ids', { cause: error });
  const now = Date.now();
  await db
    .insertInto('documents')
    .values({ id: 'doc_old', tenant_id: tenantId, collection: 'c1', external_id: 'rules', title: '规则 Rules', acl_groups: '["*"]', metadata: '{}', status: 'indexed', active_version: 2, latest_version: 2, created_at: now, updated_at: now })
    .execute();
  await db.insertInto('document_acl').values({ document_id: 'doc_old', group_name: '*' }).execute();
  for (const version of [1, 2]) {
    await db
      .insertInto('document_versions')
      .values({ document_id: 'doc_old', version, tenant_id: tenantId, status: version === 2 ? 'indexed' : 'superseded', content_type: 'text/plain', content_hash: `h${version}`, content: 'x', chunk_count: 2, failure_reason: null, created_at: now, indexed_at: now })
      .execute();
    await db
      .insertInto('chunks')
      .values(['金卡年费 300 元。', 'Lost cards stop at once.'].map((text, ordinal) => ({ id: `doc_old@${version}#0.${ordinal}`, tenant_id: tenantId, document_id: 'doc_old', version, node_id: `0.${ordinal}`, ordinal, section_path: '["规则 Rules"]', text, content_hash: `t${ordinal}` })))
      .execute();
  }
}

describe('migration 0007: chunk membership for rows written before content-addressed ids', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sql-migration-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the old chunk ids readable in their versions, so an upgraded deployment needs no re-index', async () => {
    const file = join(directory, 'rag.sqlite');
    const legacy = connectSqlite(file);
    await writeLegacyDocument(legacy);
    await legacy.destroy();

    const store = await KyselySqlStore.open(connectSqlite(file), 'sqlite');
    try {
      expect((await store.chunksOfVersion(tenantId, 'doc_old', 2)).map((chunk) => [chunk.id, chunk.nodeId, chunk.version])).toEqual([
        [LEGACY_IDS[0], '0.0', 2],
        [LEGACY_IDS[1], '0.1', 2],
      ]);
      const active = await store.readableActiveChunks({ tenantId, groups: 'all' }, [...LEGACY_IDS, 'doc_old@1#0.0']);
      expect(active.map((chunk) => chunk.id).sort()).toEqual(LEGACY_IDS);
      expect((await store.activeChunksOfTenant(tenantId, null, 10)).map((chunk) => chunk.id)).toEqual(LEGACY_IDS);
      expect(await store.chunkIdsOfDocument(tenantId, 'doc_old', 2)).toHaveLength(4);
    } finally {
      await store.close();
    }
  });

  it('gives a new version of an old document content-addressed ids, which replace every old row', async () => {
    const file = join(directory, 'rag.sqlite');
    const legacy = connectSqlite(file);
    await writeLegacyDocument(legacy);
    await legacy.destroy();

    const store = await KyselySqlStore.open(connectSqlite(file), 'sqlite');
    try {
      const submission = { collection: 'c1', externalId: 'rules', title: '规则 Rules', content: 'y', contentType: 'text/plain' as const, aclGroups: ['*'], metadata: {} };
      await store.submitVersion({ tenantId, submission, contentHash: 'h3', outcome: { chunks: [{ nodeId: '0.0', sectionPath: ['规则 Rules'], text: '金卡年费 300 元。', contentHash: 't0' }] } });
      const [chunk] = await store.chunksOfVersion(tenantId, 'doc_old', 3);
      expect(chunk?.id).toMatch(/^doc_old~[0-9a-f]{32}$/);
      expect(await store.chunkIdsInUse(tenantId, 'doc_old', 3)).toEqual(expect.arrayContaining(LEGACY_IDS));
    } finally {
      await store.close();
    }
  });
});
