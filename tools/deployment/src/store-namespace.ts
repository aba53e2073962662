export { dropMilvusCollection, hasMilvusCollection } from '@rag/vector-index';

/**
 * Removes a run's Elasticsearch index and the index template the keyword adapter made beside it.
 * Plain HTTP; a missing one is fine (the run may have stopped before its worker created them).
 */
export async function deleteElasticsearchIndex(url: string, index: string): Promise<void> {
  for (const path of [index, `_index_template/${index}`]) {
    const response = await fetch(new URL(path, url), { method: 'DELETE' });
    if (!response.ok && response.status !== 404) throw new Error(`Elasticsearch did not delete ${path} at ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  }
}
