import { type DynamicModule, Module } from '@nestjs/common';
import { AppError, FALLBACK_GENERATOR, GENERATOR, QUERY_REWRITER, SECTION_CHOOSER, type Generator, type QueryRewriter, type SectionChooser } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import type { TokenUsage } from '@rag/model-client';
import { ExtractiveGenerator } from './extractive/extractive.generator';
import { OpenAiGenerator } from './openai/openai.generator';
import { OpenAiQueryRewriter } from './openai/openai.query-rewriter';
import { OpenAiSectionChooser } from './openai/openai.section-chooser';

const EXTRACTIVE_MAX_SENTENCES = 3;

export interface GeneratorHooks {
  /** Receives the tokens each chat-model answer used (the extractive generator uses none). */
  readonly onUsage?: (usage: TokenUsage) => void;
}

export function createGenerator(config: AppConfig, hooks: GeneratorHooks = {}): Generator {
  const settings = config.generator;
  const { onUsage } = hooks;
  switch (settings.adapter) {
    case 'extractive':
      return new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES });
    case 'openai':
      return new OpenAiGenerator({ ...settings, ...(onUsage ? { onEnd: (end) => onUsage(end.usage) } : {}) });
    default:
      throw new AppError('CONFIG_INVALID', `GENERATOR_ADAPTER "${String((settings as { readonly adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** The chosen generator, checked once against its server so a wrong setting stops the start-up. */
export async function openGenerator(config: AppConfig, hooks: GeneratorHooks = {}): Promise<Generator> {
  const generator = createGenerator(config, hooks);
  if (generator instanceof OpenAiGenerator) await generator.verify();
  return generator;
}

/** With a chat model configured, the same model rewrites follow-up questions; without one, rules do. */
export function createQueryRewriter(config: AppConfig): QueryRewriter | null {
  return config.generator.adapter === 'openai' ? new OpenAiQueryRewriter(config.generator) : null;
}

/** With a chat model configured, the same model picks sections for `navigate`; without one, the walk is lexical. */
export function createSectionChooser(config: AppConfig): SectionChooser | null {
  return config.generator.adapter === 'openai' ? new OpenAiSectionChooser(config.generator) : null;
}

/** Provides the answer generator chosen by GENERATOR_ADAPTER, the extractive one as the fallback, and the query rewriter. */
@Module({})
export class GeneratorModule {
  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(hooks: GeneratorHooks = {}, decorate: (port: Generator) => Generator = (port) => port): DynamicModule {
    return {
      module: GeneratorModule,
      global: true,
      providers: [
        { provide: GENERATOR, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await openGenerator(config, hooks)) },
        { provide: FALLBACK_GENERATOR, useValue: new ExtractiveGenerator({ maxSentences: EXTRACTIVE_MAX_SENTENCES }) },
        { provide: QUERY_REWRITER, inject: [APP_CONFIG], useFactory: createQueryRewriter },
        { provide: SECTION_CHOOSER, inject: [APP_CONFIG], useFactory: createSectionChooser },
      ],
      exports: [GENERATOR, FALLBACK_GENERATOR, QUERY_REWRITER, SECTION_CHOOSER],
    };
  }
}
