import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, FALLBACK_GENERATOR, GENERATOR, type Generator } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { ExtractiveGenerator } from './extractive/extractive.generator';

const EXTRACTIVE_MAX_SENTENCES = 3;

export function createGenerator(config: AppConfig): Generator {
  const settings = config.generator;
  switch (settings.adapter) {
    case 'extractive':
      return new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES });
    default:
      throw new AppError('CONFIG_INVALID', `GENERATOR_ADAPTER "${String(settings.adapter)}" is not supported.`);
  }
}

/** Provides the answer generator chosen by GENERATOR_ADAPTER, and the extractive one as the fallback. */
@Module({})
export class GeneratorModule {
  static forRoot(): DynamicModule {
    return {
      module: GeneratorModule,
      global: true,
      providers: [
        { provide: GENERATOR, inject: [APP_CONFIG], useFactory: createGenerator },
        { provide: FALLBACK_GENERATOR, useValue: new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES }) },
      ],
      exports: [GENERATOR, FALLBACK_GENERATOR],
    };
  }
}
