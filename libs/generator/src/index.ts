export * from './generator.module';
export * from './extractive/extractive.generator';
