import { Client, errors, type estypes } from '@elastic/elasticsearch';
import { AppError, StoreError, type KeywordDeleteOptions, type KeywordIndex, type KeywordQuery, type KeywordRecord, type StoreHealth, type StoreHit, type TenantId } from '@rag/core';
import { analyze, analyzeQuery } from '@rag/text-analysis';
import { CHUNK_INDEX_MAPPINGS, CHUNK_INDEX_SETTINGS, type ChunkDocument } from './chunk-index.mapping';
import { describeError, toStoreError } from './elasticsearch.errors';

export interface ElasticsearchKeywordIndexSettings {
  readonly url: string;
  readonly index: string;
  /** A search gives up after this long; retrieval would drop the keyword channel by then anyway. */
  readonly searchTimeoutMs: number;
  /** Writes wait for a refresh (about a second) and may carry a thousand chunks, so they get longer. */
  readonly writeTimeoutMs: number;
}

/** Documents per bulk request: a few megabytes, well under Elasticsearch's 100 MB request limit. */
const BULK_BATCH_SIZE = 1_000;
const OPEN_TIMEOUT_MS = 10_000;
/** Above Elasticsearch's built-in templates (100), so ours decides the mapping of our index. */
const TEMPLATE_PRIORITY = 500;

type BulkOperation = estypes.BulkOperationContainer | ChunkDocument;
type HitSource = Pick<ChunkDocument, 'document_id' | 'version'>;

interface OwnedChunk {
  readonly chunkId: string;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/**
 * The keyword index on Elasticsearch. Documents carry the project's own analyzer output in
 * `terms`, split again only on whitespace, so matching is the same as on the embedded path and
 * needs no analysis plugin; ranking is Lucene's BM25 with the parameters FTS5 uses. Tenant,
 * collection and ACL are keyword filters of the same query, so they never change a score.
 */
export class ElasticsearchKeywordIndex implements KeywordIndex {
  private constructor(
    private readonly client: Client,
    private readonly settings: ElasticsearchKeywordIndexSettings,
  ) {}

  static async open(settings: ElasticsearchKeywordIndexSettings): Promise<ElasticsearchKeywordIndex> {
    // No client retries: the index worker's outbox backoff is the one retry layer for writes.
    const client = new Client({ node: settings.url, requestTimeout: settings.writeTimeoutMs, maxRetries: 0 });
    try {
      await assertReachable(client, settings.url);
      await ensureIndex(client, settings.index);
    } catch (error) {
      await client.close();
      throw error;
    }
    return new ElasticsearchKeywordIndex(client, settings);
  }

  async upsert(records: readonly KeywordRecord[]): Promise<void> {
    // Duplicates in one batch: the last one wins, as it would if they came one call at a time.
    const latest = [...new Map(records.map((record) => [record.chunkId, record])).values()];
    const operations = latest.map((record): BulkOperation[] => [{ index: { _id: record.chunkId } }, toDocument(record)]);
    await this.writeInBatches('upsert', operations, () => false);
  }

  async delete(tenantId: TenantId, chunkIds: readonly string[], options: KeywordDeleteOptions = {}): Promise<void> {
    const owned = await this.findOwned(tenantId, [...new Set(chunkIds)]);
    // Deleting only the version we saw means a chunk rewritten meanwhile (by any tenant) is left alone.
    const operations = owned.map((chunk): BulkOperation[] => [{ delete: { _id: chunk.chunkId, if_seq_no: chunk.seqNo, if_primary_term: chunk.primaryTerm } }]);
    // Gone already, or changed since we looked: either way there is nothing of ours left to delete.
    await this.writeInBatches('delete', operations, (item) => item.status === 404 || item.status === 409, options.awaitVisibility ?? true);
  }

  async search(query: KeywordQuery): Promise<StoreHit[]> {
    const terms = analyzeQuery(query.text);
    if (terms.length === 0) return [];
    const response = await this.call('search', () =>
      this.client.search<HitSource>(
        {
          index: this.settings.index,
          size: query.topK,
          track_total_hits: false,
          _source: ['document_id', 'version'],
          // A match query takes its text literally: no operators, wildcards or field prefixes.
          query: { bool: { must: { match: { terms: { query: terms.join(' '), operator: 'or' } } }, filter: filtersOf(query) } },
        },
        { requestTimeout: this.settings.searchTimeoutMs, maxRetries: 0 },
      ),
    );
    return response.hits.hits.map(toStoreHit);
  }

  /** Sorted on the chunk id keyword (byte order, as SQL's binary collation) and paged with search_after. */
  async listChunkIds(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<string[]> {
    const response = await this.call('listing chunk ids', () =>
      this.client.search({
        index: this.settings.index,
        size: limit,
        track_total_hits: false,
        _source: false,
        query: { bool: { filter: [{ term: { tenant_id: tenantId } }] } },
        sort: [{ chunk_id: 'asc' }],
        ...(afterChunkId === null ? {} : { search_after: [afterChunkId] }),
      }),
    );
    return response.hits.hits.map((hit) => hit._id ?? '');
  }

  async health(): Promise<StoreHealth> {
    try {
      // `timeout: 0s` answers at once; a missing index then comes back as 408 with status red.
      const health = await this.client.cluster.health({ index: this.settings.index, timeout: '0s' }, { ignore: [408], requestTimeout: this.settings.searchTimeoutMs, maxRetries: 0 });
      return { ok: health.status !== 'red', adapter: 'elasticsearch', detail: `index ${this.settings.index} is ${health.status}` };
    } catch (error) {
      // A health check reports every failure rather than throwing it.
      return { ok: false, adapter: 'elasticsearch', detail: describeError(error) };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The chunks among `chunkIds` that belong to the tenant, read in real time (no refresh needed). */
  private async findOwned(tenantId: TenantId, chunkIds: readonly string[]): Promise<OwnedChunk[]> {
    const owned: OwnedChunk[] = [];
    for (const ids of batches(chunkIds, BULK_BATCH_SIZE)) {
      const response = await this.call('delete', () =>
        this.client.mget<Pick<ChunkDocument, 'tenant_id'>>({ index: this.settings.index, ids: [...ids], _source_includes: ['tenant_id'] }),
      );
      for (const doc of response.docs) {
        if ('found' in doc && doc.found && doc._source?.tenant_id === tenantId && doc._seq_no !== undefined && doc._primary_term !== undefined) {
          owned.push({ chunkId: doc._id, seqNo: doc._seq_no, primaryTerm: doc._primary_term });
        }
      }
    }
    return owned;
  }

  /**
   * Sends the operations in bulk requests of bounded size. Only the last waits for a refresh: one
   * refresh makes every earlier write visible too, so the caller reads its writes after about a
   * second at most, without forcing a refresh per request. A caller that need not read its writes
   * at once waits for none.
   */
  private async writeInBatches(action: string, operations: readonly BulkOperation[][], acceptable: (item: estypes.BulkResponseItem) => boolean, awaitVisibility = true): Promise<void> {
    const groups = batches(operations, BULK_BATCH_SIZE);
    for (const [i, group] of groups.entries()) {
      const refresh = awaitVisibility && i === groups.length - 1 ? 'wait_for' : false;
      const response = await this.call(action, () => this.client.bulk<ChunkDocument>({ index: this.settings.index, operations: group.flat(), refresh }));
      assertBulkSucceeded(action, response, acceptable);
    }
  }

  private async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toStoreError(error, action);
    }
  }
}

async function assertReachable(client: Client, url: string): Promise<void> {
  try {
    await client.cluster.health({}, { requestTimeout: OPEN_TIMEOUT_MS, maxRetries: 0 });
  } catch (error) {
    throw new StoreError('elasticsearch', 'STORE_UNAVAILABLE', `Cannot reach Elasticsearch at ${redactUrl(url)} (ELASTICSEARCH_URL): ${describeError(error)}`, { cause: error });
  }
}

/**
 * Creates the index with our mapping, or brings an existing one up to it. Putting the mapping
 * again is a no-op when nothing changed, adds new fields, and fails on a conflicting field (say,
 * an index that Elasticsearch created by itself with its standard analyzer). The template makes
 * sure that an index deleted under a running service comes back with our mapping when the next
 * write creates it, instead of with dynamic mappings that would silently change matching.
 */
async function ensureIndex(client: Client, index: string): Promise<void> {
  try {
    await client.indices.putIndexTemplate({ name: index, index_patterns: [index], priority: TEMPLATE_PRIORITY, template: { settings: CHUNK_INDEX_SETTINGS, mappings: CHUNK_INDEX_MAPPINGS } });
  } catch (error) {
    throw toStoreError(error, `putting the index template "${index}"`);
  }
  try {
    await client.indices.create({ index, settings: CHUNK_INDEX_SETTINGS, mappings: CHUNK_INDEX_MAPPINGS });
  } catch (error) {
    if (!isIndexAlreadyThere(error)) throw toStoreError(error, `creating index "${index}"`);
    await putMapping(client, index);
  }
}

async function putMapping(client: Client, index: string): Promise<void> {
  try {
    await client.indices.putMapping({ index, ...CHUNK_INDEX_MAPPINGS });
  } catch (error) {
    if (!(error instanceof errors.ResponseError) || error.statusCode !== 400) throw toStoreError(error, `updating the mapping of index "${index}"`);
    throw new AppError('CONFIG_INVALID', `Elasticsearch index "${index}" (ELASTICSEARCH_INDEX) has a mapping this service cannot use: ${describeError(error)}`, {}, { cause: error });
  }
}

function isIndexAlreadyThere(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 400 && error.message.includes('resource_already_exists_exception');
}

function toDocument(record: KeywordRecord): ChunkDocument {
  return {
    chunk_id: record.chunkId,
    tenant_id: record.tenantId,
    collection: record.collection,
    document_id: record.documentId,
    version: record.version,
    acl_groups: record.aclGroups,
    terms: analyze([record.title, ...record.sectionPath, record.text].join('\n')).join(' '),
    title: record.title,
    section_path: record.sectionPath,
    text: record.text,
  };
}

function filtersOf(query: KeywordQuery): estypes.QueryDslQueryContainer[] {
  const filters: estypes.QueryDslQueryContainer[] = [{ term: { tenant_id: query.scope.tenantId } }];
  if (query.collection !== undefined) filters.push({ term: { collection: query.collection } });
  if (query.scope.groups !== 'all') filters.push({ terms: { acl_groups: [...query.scope.groups] } });
  return filters;
}

function toStoreHit(hit: estypes.SearchHit<HitSource>): StoreHit {
  return { chunkId: hit._id ?? '', documentId: hit._source?.document_id ?? '', version: hit._source?.version ?? 0, score: hit._score ?? 0 };
}

/** Bulk requests answer 200 even when items fail, so each item is checked. */
function assertBulkSucceeded(action: string, response: estypes.BulkResponse, acceptable: (item: estypes.BulkResponseItem) => boolean): void {
  if (!response.errors) return;
  const failed = response.items.flatMap((item) => Object.values(item)).filter((item) => item.error !== undefined && !acceptable(item));
  const [first] = failed;
  if (first === undefined) return;
  const reason = `${first.error?.type ?? 'error'}: ${first.error?.reason ?? 'no reason given'}`;
  // Items refused for load (429) or by an unavailable shard (5xx) are an outage worth waiting out;
  // any other refusal (a write block, a mapping conflict) stays until someone changes something.
  const outage = failed.every((item) => item.status === 429 || item.status >= 500);
  throw new StoreError('elasticsearch', outage ? 'STORE_UNAVAILABLE' : 'STORE_REJECTED', `Elasticsearch ${action} failed for ${failed.length} of ${response.items.length} chunks, first ${first._id ?? '?'}: ${reason}`);
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** A URL may carry credentials; never put them in an error message. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
