import { setTimeout as sleep } from 'node:timers/promises';
import { ConsistencyLevelEnum, LoadState, MilvusClient, type ResStatus, type SearchResultData } from '@zilliz/milvus2-sdk-node';
import { AppError, StoreError, type StoreHealth, type StoreHit, type TenantId, type VectorIndex, type VectorQuery, type VectorRecord } from '@rag/core';
import { chunkFields, HIT_FIELDS, toRow, VECTOR_FIELD, VECTOR_INDEX_PARAMS } from './chunk-collection.schema';
import { idFilter, listFilter, searchFilter } from './milvus.filter';
import { assertSucceeded, describeError, isCollectionNotLoaded, toStoreError } from './milvus.errors';

export interface MilvusVectorIndexSettings {
  /** host:port of Milvus's gRPC endpoint. */
  readonly address: string;
  readonly token: string | undefined;
  readonly collection: string;
  readonly dimensions: number;
  /** A search gives up after this long; retrieval would drop the vector channel by then anyway. */
  readonly searchTimeoutMs: number;
  /** Writes carry up to a thousand vectors each, so they get longer. */
  readonly writeTimeoutMs: number;
}

/** Rows per insert or delete request: about 1.5 MB at 384 dimensions, far under gRPC's 64 MB cap. */
const WRITE_BATCH_SIZE = 1_000;
/** Connecting and creating the collection; the client's default for calls without their own. */
const OPEN_TIMEOUT_MS = 10_000;
/** A large collection takes a while to load into memory when a Milvus cluster starts cold. */
const LOAD_TIMEOUT_MS = 120_000;
const LOAD_POLL_MS = 50;
/** The HNSW candidate list; wider than top K so that a filtered walk still finds K readable chunks. */
const MIN_SEARCH_EF = 64;
/** Milvus answers at most 16,384 rows per query, and a page is read in windows twice its size. */
const MAX_LIST_PAGE = 8_192;

type Response = ResStatus | { readonly status: ResStatus };

/**
 * The vector index on Milvus: one collection, the chunk id as primary key, the tenant as partition
 * key, an HNSW index over cosine. Tenant, collection and ACL are the filter of the vector search
 * itself, so top K counts only chunks the reader may see. Searches are Strong-consistent, so they
 * see every write that resolved before them.
 */
export class MilvusVectorIndex implements VectorIndex {
  /** A load in progress, shared by every search that found the collection released. */
  private reloading: Promise<void> | undefined;

  private constructor(
    private readonly client: MilvusClient,
    private readonly settings: MilvusVectorIndexSettings,
  ) {}

  static async open(settings: MilvusVectorIndexSettings): Promise<MilvusVectorIndex> {
    const client = await connect(settings);
    const index = new MilvusVectorIndex(client, settings);
    try {
      await index.prepareCollection();
    } catch (error) {
      await client.closeConnection();
      throw error;
    }
    return index;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    // Duplicates in one batch: the last one wins, as it would if they came one call at a time.
    const latest = [...new Map(records.map((record) => [record.chunkId, record])).values()];
    for (const record of latest) this.checkVector(record.vector);
    for (const batch of batches(latest, WRITE_BATCH_SIZE)) {
      await this.call('upsert', () => this.client.upsert({ collection_name: this.settings.collection, data: batch.map(toRow), timeout: this.settings.writeTimeoutMs }));
    }
  }

  /**
   * Deletes by primary key only the ids that hold this tenant's chunks, found by a key lookup
   * first: a tenant never deletes another's chunk, and neither call scans the collection (see
   * idFilter).
   */
  async delete(tenantId: TenantId, chunkIds: readonly string[]): Promise<void> {
    for (const batch of batches([...new Set(chunkIds)], WRITE_BATCH_SIZE)) {
      const own = await this.tenantsChunkIds(tenantId, batch);
      if (own.length === 0) continue;
      await this.call('delete', () => this.client.delete({ collection_name: this.settings.collection, filter: idFilter(own), timeout: this.settings.writeTimeoutMs }));
    }
  }

  /** Which of the ids are chunks of this tenant, by a lookup of their keys. */
  private async tenantsChunkIds(tenantId: TenantId, chunkIds: readonly string[]): Promise<string[]> {
    const response = await this.loadedFor('looking up chunks to delete', () =>
      this.client.query({
        collection_name: this.settings.collection,
        filter: idFilter(chunkIds),
        output_fields: ['chunk_id', 'tenant'],
        limit: chunkIds.length,
        consistency_level: ConsistencyLevelEnum.Strong,
        timeout: this.settings.writeTimeoutMs,
      }),
    );
    return response.data.filter((row) => row.tenant === tenantId).map((row) => String(row.chunk_id));
  }

  async search(query: VectorQuery): Promise<StoreHit[]> {
    this.checkVector(query.vector);
    // No groups can read nothing (and Milvus rejects an empty list in the filter).
    if (query.topK < 1 || (query.scope.groups !== 'all' && query.scope.groups.length === 0)) return [];
    const response = await this.loadedFor('search', () =>
      this.client.search({
        collection_name: this.settings.collection,
        anns_field: VECTOR_FIELD,
        data: Array.from(query.vector),
        limit: query.topK,
        filter: searchFilter(query),
        output_fields: HIT_FIELDS,
        params: { ef: Math.max(MIN_SEARCH_EF, query.topK * 4) },
        // Milvus's default (Bounded) may miss writes of the last few seconds; the port promises none are missed.
        consistency_level: ConsistencyLevelEnum.Strong,
        timeout: this.settings.searchTimeoutMs,
      }),
    );
    return response.results.map(toStoreHit);
  }

  /**
   * A limited Milvus query returns whichever matches it meets first (milvus-lite: not in key
   * order), so a page cannot simply end at its largest id. Each round narrows the id range to the
   * `limit` smallest ids seen so far, until one query returns the whole range.
   */
  async listChunkIds(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<string[]> {
    const pageSize = Math.min(limit, MAX_LIST_PAGE);
    const window = pageSize * 2;
    let upTo: string | null = null;
    for (;;) {
      const ids = await this.queryChunkIds(listFilter(tenantId, afterChunkId, upTo), window);
      if (ids.length < window) return ids.slice(0, pageSize);
      upTo = ids[pageSize - 1] as string;
    }
  }

  /** Up to `limit` chunk ids matching the filter, sorted. */
  private async queryChunkIds(filter: string, limit: number): Promise<string[]> {
    const response = await this.loadedFor('listing chunk ids', () =>
      this.client.query({
        collection_name: this.settings.collection,
        filter,
        output_fields: ['chunk_id'],
        limit,
        consistency_level: ConsistencyLevelEnum.Strong,
        timeout: this.settings.writeTimeoutMs,
      }),
    );
    return response.data.map((row) => String(row.chunk_id)).sort();
  }

  async health(): Promise<StoreHealth> {
    try {
      // Cheap, and tells what a search needs: the server answers and our collection is loaded.
      const response = await this.call('health check', () => this.client.getLoadState({ collection_name: this.settings.collection, timeout: this.settings.searchTimeoutMs }));
      return { ok: response.state === LoadState.LoadStateLoaded, adapter: 'milvus', detail: `collection ${this.settings.collection}: ${response.state}` };
    } catch (error) {
      // A health check reports every failure rather than throwing it.
      return { ok: false, adapter: 'milvus', detail: describeError(error) };
    }
  }

  async close(): Promise<void> {
    await this.client.closeConnection();
  }

  /**
   * Runs a call that needs the collection in memory. milvus-lite forgets which collections were
   * loaded when it restarts (Milvus itself remembers), and an operator may release one; either
   * way one load cures it, so the call is retried once after it rather than failing until the
   * service restarts.
   */
  private async loadedFor<T extends Response>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await this.call(action, request);
    } catch (error) {
      if (!isCollectionNotLoaded(error)) throw error;
      this.reloading ??= this.load().finally(() => (this.reloading = undefined));
      await this.reloading;
      return this.call(action, request);
    }
  }

  /** Creates the collection with its index when missing, checks an existing one, and loads it. */
  private async prepareCollection(): Promise<void> {
    if (await this.collectionExists()) await this.checkSchema();
    else await this.createCollection();
    await this.load();
  }

  private async collectionExists(): Promise<boolean> {
    const response = await this.call(`looking up collection "${this.settings.collection}"`, () => this.client.hasCollection({ collection_name: this.settings.collection }));
    return response.value === true;
  }

  private async createCollection(): Promise<void> {
    const name = this.settings.collection;
    try {
      await this.call(`creating collection "${name}"`, () => this.client.createCollection({ collection_name: name, fields: chunkFields(this.settings.dimensions) }));
    } catch (error) {
      // Another service may have created it at the same moment; then it only has to match ours.
      if (!(error instanceof StoreError) || !(await this.collectionExists())) throw error;
      await this.checkSchema();
    }
    // Creating the same index again is a no-op, so a creator that lost the race may repeat it.
    await this.call(`indexing collection "${name}"`, () => this.client.createIndex({ collection_name: name, ...VECTOR_INDEX_PARAMS }));
  }

  /**
   * Loading is asynchronous in Milvus. The client's own waiting load sleeps 400 ms per check even
   * when the collection is loaded already, and throws plain errors; this polls the state instead.
   */
  private async load(): Promise<void> {
    const name = this.settings.collection;
    if ((await this.loadState()) === LoadState.LoadStateLoaded) return;
    await this.call(`loading collection "${name}"`, () => this.client.loadCollectionAsync({ collection_name: name }));
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    while ((await this.loadState()) !== LoadState.LoadStateLoaded) {
      if (Date.now() > deadline) throw new StoreError('milvus', 'STORE_TIMEOUT', `Milvus did not load collection "${name}" within ${LOAD_TIMEOUT_MS / 1000} s.`);
      await sleep(LOAD_POLL_MS);
    }
  }

  private async loadState(): Promise<LoadState> {
    const response = await this.call(`reading the load state of collection "${this.settings.collection}"`, () =>
      this.client.getLoadState({ collection_name: this.settings.collection }),
    );
    return response.state;
  }

  private async checkSchema(): Promise<void> {
    const name = this.settings.collection;
    const description = await this.call(`describing collection "${name}"`, () => this.client.describeCollection({ collection_name: name }));
    const fields = new Map(description.schema.fields.map((field) => [field.name, field]));
    const missing = chunkFields(this.settings.dimensions).filter((field) => !fields.has(field.name));
    if (missing.length > 0) {
      throw new AppError('CONFIG_INVALID', `Milvus collection "${name}" (MILVUS_COLLECTION) lacks the fields ${missing.map((field) => field.name).join(', ')}: it was not made by this service. Choose another collection.`);
    }
    const stored = Number(fields.get(VECTOR_FIELD)?.dim);
    if (stored !== this.settings.dimensions) {
      throw new AppError(
        'CONFIG_INVALID',
        `Milvus collection "${name}" (MILVUS_COLLECTION) holds ${stored}-dimensional vectors but the embedder produces ${this.settings.dimensions}. Use a new collection or rebuild the index.`,
      );
    }
  }

  private checkVector(vector: Float32Array): void {
    if (vector.length !== this.settings.dimensions) {
      throw new AppError('VALIDATION_FAILED', `Vector has ${vector.length} dimensions; the index holds ${this.settings.dimensions}.`);
    }
  }

  /** Runs one client call: thrown client errors and refusal statuses both become StoreErrors. */
  private async call<T extends Response>(action: string, request: () => Promise<T>): Promise<T> {
    let response: T;
    try {
      response = await request();
    } catch (error) {
      throw toStoreError(error, action);
    }
    assertSucceeded('status' in response ? response.status : response, action);
    return response;
  }
}

/**
 * The client connects in the background; awaiting its handshake (the Connect call) is what tells an
 * unreachable or refusing server at start-up, in one line naming the setting and the address.
 */
async function connect(settings: MilvusVectorIndexSettings): Promise<MilvusClient> {
  // The client logs every request with its payload at debug level (its default under NODE_ENV=test);
  // failures reach our callers as StoreErrors, so it need only speak up about the unusual.
  // No SDK retries: the one retry layer is the index worker's outbox backoff (writes); searches fail fast to a degraded answer.
  const client = new MilvusClient({ address: settings.address, token: settings.token, timeout: OPEN_TIMEOUT_MS, logLevel: 'warn', maxRetries: 0 });
  try {
    await client.connectPromise;
    return client;
  } catch (error) {
    await client.closeConnection();
    throw new StoreError('milvus', 'STORE_UNAVAILABLE', `Cannot reach Milvus at ${settings.address} (MILVUS_ADDRESS): ${describeError(error)}`, { cause: error });
  }
}

function toStoreHit(result: SearchResultData): StoreHit {
  return { chunkId: String(result.chunk_id), documentId: String(result.document_id), version: Number(result.version), score: result.score };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
