export * from './generator.module';
export * from './extractive/extractive.generator';
export * from './openai/answer.prompt';
export * from './openai/openai.generator';
export * from './openai/openai.query-rewriter';
export * from './openai/openai.section-chooser';
