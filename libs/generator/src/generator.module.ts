import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, FALLBACK_GENERATOR, GENERATOR, type Generator } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { ExtractiveGenerator } from './extractive/extractive.generator';
import { OpenAiGenerator } from './openai/openai.generator';

const EXTRACTIVE_MAX_SENTENCES = 3;

export function createGenerator(config: AppConfig): Generator {
  const settings = config.generator;
  switch (settings.adapter) {
    case 'extractive':
      return new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES });
    case 'openai':
      return new OpenAiGenerator(settings);
    default:
      throw new AppError('CONFIG_INVALID', `GENERATOR_ADAPTER "${String((settings as { readonly adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** The chosen generator, checked once against its server so a wrong setting stops the start-up. */
export async function openGenerator(config: AppConfig): Promise<Generator> {
  const generator = createGenerator(config);
  if (generator instanceof OpenAiGenerator) await generator.verify();
  return generator;
}

/** Provides the answer generator chosen by GENERATOR_ADAPTER, and the extractive one as the fallback. */
@Module({})
export class GeneratorModule {
  static forRoot(): DynamicModule {
    return {
      module: GeneratorModule,
      global: true,
      providers: [
        { provide: GENERATOR, inject: [APP_CONFIG], useFactory: openGenerator },
        { provide: FALLBACK_GENERATOR, useValue: new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES }) },
      ],
      exports: [GENERATOR, FALLBACK_GENERATOR],
    };
  }
}
