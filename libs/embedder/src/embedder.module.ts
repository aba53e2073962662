import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, EMBEDDER, type Embedder } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { LexicalHashEmbedder } from './lexical/lexical-hash.embedder';

export function createEmbedder(config: AppConfig): Embedder {
  const settings = config.embedder;
  switch (settings.adapter) {
    case 'lexical':
      return new LexicalHashEmbedder({ dimensions: settings.dimensions });
    default:
      throw new AppError('CONFIG_INVALID', `EMBEDDER_ADAPTER "${String(settings.adapter)}" is not supported.`);
  }
}

/** Provides the embedder chosen by EMBEDDER_ADAPTER. */
@Module({})
export class EmbedderModule {
  static forRoot(): DynamicModule {
    return {
      module: EmbedderModule,
      global: true,
      providers: [{ provide: EMBEDDER, inject: [APP_CONFIG], useFactory: createEmbedder }],
      exports: [EMBEDDER],
    };
  }
}
