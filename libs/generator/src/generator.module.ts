import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, GENERATOR, type Generator } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { ExtractiveGenerator } from './extractive/extractive.generator';

export function createGenerator(config: AppConfig): Generator {
  const settings = config.generator;
  switch (settings.adapter) {
    case 'extractive':
      return new ExtractiveGenerator({ maxSentences: 3 });
    default:
      throw new AppError('CONFIG_INVALID', `GENERATOR_ADAPTER "${String(settings.adapter)}" is not supported.`);
  }
}

/** Provides the answer generator chosen by GENERATOR_ADAPTER. */
@Module({})
export class GeneratorModule {
  static forRoot(): DynamicModule {
    return {
      module: GeneratorModule,
      global: true,
      providers: [{ provide: GENERATOR, inject: [APP_CONFIG], useFactory: createGenerator }],
      exports: [GENERATOR],
    };
  }
}
