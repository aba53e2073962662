import { Client } from '@elastic/elasticsearch';
import { ConsistencyLevelEnum, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { analyzeQuery } from '@rag/text-analysis';
import type { TestStoreUrls } from '@rag/testing';

const TIMEOUT_MS = 10_000;
const MIN_SEARCH_EF = 64;

export interface StoreNames {
  readonly milvusCollection: string;
  readonly elasticsearchIndex: string;
}

/**
 * Milvus and Elasticsearch queried with the SDKs, the same requests the product's adapters send
 * for an administrator of the default tenant with no collection: what the gateway's fan-out wraps.
 */
export class DirectStores {
  private readonly milvus: MilvusClient;
  private readonly elasticsearch: Client;

  constructor(
    urls: TestStoreUrls,
    private readonly names: StoreNames,
    private readonly tenantId: string,
  ) {
    this.milvus = new MilvusClient({ address: urls.milvusAddress, timeout: TIMEOUT_MS });
    this.elasticsearch = new Client({ node: urls.elasticsearchUrl, requestTimeout: TIMEOUT_MS });
  }

  async vectorSearch(vector: readonly number[], topK: number): Promise<number> {
    const response = await this.milvus.search({
      collection_name: this.names.milvusCollection,
      anns_field: 'vector',
      data: [...vector],
      limit: topK,
      filter: `tenant == "${this.tenantId}"`,
      output_fields: ['chunk_id', 'document_id', 'version'],
      params: { ef: Math.max(MIN_SEARCH_EF, topK * 4) },
      consistency_level: ConsistencyLevelEnum.Strong,
    });
    if (response.status.error_code !== 'Success') throw new Error(`Milvus search failed: ${response.status.reason}`);
    return response.results.length;
  }

  async keywordSearch(text: string, topK: number): Promise<number> {
    const terms = analyzeQuery(text);
    if (terms.length === 0) return 0;
    const response = await this.elasticsearch.search({
      index: this.names.elasticsearchIndex,
      size: topK,
      track_total_hits: false,
      _source: ['document_id', 'version'],
      query: { bool: { must: { match: { terms: { query: terms.join(' '), operator: 'or' } } }, filter: [{ term: { tenant_id: this.tenantId } }] } },
    });
    return response.hits.hits.length;
  }

  async close(): Promise<void> {
    await Promise.all([this.milvus.closeConnection(), this.elasticsearch.close()]);
  }
}
