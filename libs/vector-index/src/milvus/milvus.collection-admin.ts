import { MilvusClient } from '@zilliz/milvus2-sdk-node';

/**
 * Removes a run's Milvus collection (dropping a missing one succeeds). The test server speaks only
 * gRPC (milvus-lite has no REST API) and the product has no admin path that drops its collection,
 * on purpose: this is for test and evaluation tools that start and stop whole deployments.
 */
export async function dropMilvusCollection(address: string, collection: string): Promise<void> {
  const client = new MilvusClient({ address, timeout: 30_000, logLevel: 'warn' });
  try {
    const status = await client.dropCollection({ collection_name: collection });
    if (status.error_code !== 'Success') throw new Error(`Milvus at ${address} did not drop collection ${collection}: ${status.reason}`);
  } finally {
    await client.closeConnection();
  }
}

/** Whether the Milvus collection is there, for tests that check a run left nothing behind. */
export async function hasMilvusCollection(address: string, collection: string): Promise<boolean> {
  const client = new MilvusClient({ address, timeout: 30_000, logLevel: 'warn' });
  try {
    return (await client.hasCollection({ collection_name: collection })).value === true;
  } finally {
    await client.closeConnection();
  }
}
