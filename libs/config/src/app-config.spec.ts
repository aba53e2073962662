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

  it('names the setting and the allowed values when a value is wrong', () => {
    expect(() => loadConfig({ VECTOR_INDEX_ADAPTER: 'faiss' })).toThrow(/VECTOR_INDEX_ADAPTER: .*"embedded".*"milvus"/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MYSQL_URL: 'postgres://x' })).toThrow(/MYSQL_URL/);
  });
});
