import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppError, VECTOR_INDEX, type VectorIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { HnswVectorIndex } from './embedded/hnsw.vector-index';
import { MilvusVectorIndex } from './milvus/milvus.vector-index';

/** Upserts carry a thousand vectors per request; searches use the retrieval budget. */
const MILVUS_WRITE_TIMEOUT_MS = 30_000;

export async function createVectorIndex(config: AppConfig): Promise<VectorIndex> {
  const settings = config.vectorIndex;
  switch (settings.adapter) {
    case 'embedded':
      return HnswVectorIndex.open({ directory: settings.directory, dimensions: config.embedder.dimensions });
    case 'milvus':
      return MilvusVectorIndex.open({
        address: settings.address,
        token: settings.token,
        collection: settings.collection,
        dimensions: config.embedder.dimensions,
        searchTimeoutMs: config.retrieval.storeTimeoutMs,
        writeTimeoutMs: MILVUS_WRITE_TIMEOUT_MS,
      });
    default:
      throw new AppError('CONFIG_INVALID', `VECTOR_INDEX_ADAPTER "${String((settings as { adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** Provides the vector index chosen by VECTOR_INDEX_ADAPTER, and closes it at shutdown. */
@Module({})
export class VectorIndexModule implements OnApplicationShutdown {
  constructor(@Inject(VECTOR_INDEX) private readonly index: VectorIndex) {}

  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(decorate: (port: VectorIndex) => VectorIndex = (port) => port): DynamicModule {
    return {
      module: VectorIndexModule,
      global: true,
      providers: [{ provide: VECTOR_INDEX, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await createVectorIndex(config)) }],
      exports: [VECTOR_INDEX],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.index.close();
  }
}
