import { describe, expect, it } from 'vitest';
import { loadConfig } from './app-config';

describe('configuration', () => {
  it('runs the embedded profile with no settings at all', () => {
    const config = loadConfig({});
    expect(config.profile).toBe('embedded');
    expect([config.cache.adapter, config.vectorIndex.adapter, config.keywordIndex.adapter, config.sql.adapter]).toEqual(['memory', 'embedded', 'embedded', 'sqlite']);
    expect(config.server.port).toBe(8080);
  });

  it('names every setting the full profile is missing', () => {
    expect(() => loadConfig({ PROFILE: 'full' })).toThrow(/REDIS_URL is required when CACHE_ADAPTER is redis.*MILVUS_ADDRESS.*ELASTICSEARCH_URL.*MYSQL_URL/);
  });

  it('lets one port use a real store while the others stay embedded', () => {
    const config = loadConfig({ CACHE_ADAPTER: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.cache).toMatchObject({ adapter: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(config.sql.adapter).toBe('sqlite');
  });

  it('weighs the vector channel by what the embedder knows', () => {
    expect(loadConfig({}).retrieval.fusionWeights).toEqual({ keyword: 1, vector: 0 });
    expect(loadConfig({ FUSION_WEIGHT_VECTOR: '0.5' }).retrieval.fusionWeights).toEqual({ keyword: 1, vector: 0.5 });
  });

  it('gives navigation a budget by default, and takes each limit from its setting', () => {
    expect(loadConfig({}).navigation).toEqual({ budget: { maxModelCalls: 4, maxTokens: 6000, maxMs: 5000 }, maxDocuments: 3, longDocumentChunks: 40 });
    expect(loadConfig({ NAVIGATE_MAX_MODEL_CALLS: '0', NAVIGATE_MAX_MS: '800', AUTO_LONG_DOCUMENT_CHUNKS: '100' }).navigation).toMatchObject({ budget: { maxModelCalls: 0, maxMs: 800 }, longDocumentChunks: 100 });
    expect(() => loadConfig({ NAVIGATE_MAX_MODEL_CALLS: '-1' })).toThrow(/NAVIGATE_MAX_MODEL_CALLS/);
  });

  it('fuses by reciprocal rank unless FUSION_METHOD chooses convex', () => {
    expect(loadConfig({}).retrieval.fusionMethod).toBe('rrf');
    expect(loadConfig({ FUSION_METHOD: 'convex' }).retrieval.fusionMethod).toBe('convex');
    expect(() => loadConfig({ FUSION_METHOD: 'max' })).toThrow(/FUSION_METHOD/);
  });

  it('names the setting and the allowed values when a value is wrong', () => {
    expect(() => loadConfig({ VECTOR_INDEX_ADAPTER: 'faiss' })).toThrow(/VECTOR_INDEX_ADAPTER: .*"embedded".*"milvus"/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MYSQL_URL: 'postgres://x' })).toThrow(/MYSQL_URL/);
  });

  it('names every setting an OpenAI-compatible model server needs, only when it is chosen', () => {
    expect(loadConfig({}).embedder).toMatchObject({ adapter: 'lexical', dimensions: 512 });
    expect(loadConfig({}).generator).toEqual({ adapter: 'extractive' });
    expect(() => loadConfig({ EMBEDDER_ADAPTER: 'openai' })).toThrow(/EMBEDDING_URL is required when EMBEDDER_ADAPTER is openai.*EMBEDDING_MODEL.*EMBEDDING_DIMENSIONS/);
    expect(() => loadConfig({ GENERATOR_ADAPTER: 'openai' })).toThrow(/CHAT_URL is required when GENERATOR_ADAPTER is openai.*CHAT_MODEL/);
    expect(() => loadConfig({ EMBEDDER_ADAPTER: 'openai', EMBEDDING_URL: 'ftp://x', EMBEDDING_MODEL: 'e5', EMBEDDING_DIMENSIONS: '384' })).toThrow(/EMBEDDING_URL/);
    expect(() => loadConfig({ EMBEDDING_INPUT_TYPE_FIELD: 'input type' })).toThrow(/EMBEDDING_INPUT_TYPE_FIELD/);
  });

  it('sizes the vector index by the chosen embedder and applies the model-server defaults', () => {
    const config = loadConfig({
      EMBEDDER_ADAPTER: 'openai',
      EMBEDDING_URL: 'http://127.0.0.1:8000/v1',
      EMBEDDING_MODEL: 'multilingual-e5-small',
      EMBEDDING_DIMENSIONS: '384',
      EMBEDDING_INPUT_TYPE_FIELD: 'input_type',
      GENERATOR_ADAPTER: 'openai',
      CHAT_URL: 'http://127.0.0.1:8001/v1',
      CHAT_MODEL: 'gemma-3-270m',
      CHAT_API_KEY: 'sk-test',
    });
    expect(config.embedder).toEqual({
      adapter: 'openai',
      dimensions: 384,
      batchSize: 64,
      inputTypeField: 'input_type',
      url: 'http://127.0.0.1:8000/v1',
      model: 'multilingual-e5-small',
      apiKey: undefined,
      timeoutMs: 30_000,
      concurrency: 2,
    });
    expect(config.generator).toEqual({
      adapter: 'openai',
      url: 'http://127.0.0.1:8001/v1',
      model: 'gemma-3-270m',
      apiKey: 'sk-test',
      maxTokens: 512,
      temperature: 0,
      timeoutMs: 30_000,
      concurrency: 2,
    });
  });
});
