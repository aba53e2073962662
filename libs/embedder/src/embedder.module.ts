import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, EMBEDDER, type Embedder } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { LexicalHashEmbedder } from './lexical/lexical-hash.embedder';
import { OpenAiEmbedder } from './openai/openai.embedder';

export function createEmbedder(config: AppConfig): Embedder {
  const settings = config.embedder;
  switch (settings.adapter) {
    case 'lexical':
      return new LexicalHashEmbedder({ dimensions: settings.dimensions });
    case 'openai':
      return new OpenAiEmbedder(settings);
    default:
      throw new AppError('CONFIG_INVALID', `EMBEDDER_ADAPTER "${String((settings as { readonly adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** The chosen embedder, checked once against its server so a wrong setting stops the start-up. */
export async function openEmbedder(config: AppConfig): Promise<Embedder> {
  const embedder = createEmbedder(config);
  if (embedder instanceof OpenAiEmbedder) await embedder.verify();
  return embedder;
}

/** Provides the embedder chosen by EMBEDDER_ADAPTER. */
@Module({})
export class EmbedderModule {
  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(decorate: (port: Embedder) => Embedder = (port) => port): DynamicModule {
    return {
      module: EmbedderModule,
      global: true,
      providers: [{ provide: EMBEDDER, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await openEmbedder(config)) }],
      exports: [EMBEDDER],
    };
  }
}
