export * from './test-stores.config';
export * from './test-models.config';
export * from './context-block.factory';
export * from './navigation.fixture';
export * from './pdf.fixture';
export * from './docx.fixture';
export * from './docx-bomb.fixture';
