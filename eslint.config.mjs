import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Store SDKs: each may be imported only inside the adapter lib of its store. */
const STORE_SDKS = ['ioredis', '@zilliz/milvus2-sdk-node', '@elastic/elasticsearch', 'mysql2', 'better-sqlite3', 'hnswlib-node', 'kysely', 'rate-limiter-flexible'];
const sdksExcept = (...allowed) => STORE_SDKS.filter((sdk) => !allowed.includes(sdk));

/**
 * Which projects may import which. Tests may also use the testing lib (test servers' addresses,
 * unique names), which production code never may.
 */
function boundaryOptions(inTests) {
  // Tests may also use real adapters (an extractive generator as the fallback in a composer test).
  const testing = inTests ? ['type:testing', 'type:adapter'] : [];
  const allow = (...tags) => [...tags, ...testing];
  return {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: false,
    depConstraints: [
      // The domain: types and ports only, no framework and no I/O.
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: allow('type:domain'), bannedExternalImports: ['node:*', 'fs', 'net', 'http', 'https', '@nestjs/*', 'fastify', ...STORE_SDKS] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: allow('type:domain', 'type:util'), bannedExternalImports: STORE_SDKS },
      { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: allow('type:domain', 'type:util') },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:feature'), bannedExternalImports: STORE_SDKS },
      // A service never imports another service; only the all-in-one app composes them.
      { sourceTag: 'type:service', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:feature', 'type:adapter', 'type:wiring'), bannedExternalImports: STORE_SDKS },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:feature', 'type:adapter', 'type:service', 'type:wiring'), bannedExternalImports: STORE_SDKS },
      // Wiring composes the adapters and features into runnable processes, for the services.
      { sourceTag: 'type:wiring', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:feature', 'type:adapter'), bannedExternalImports: STORE_SDKS },
      // Tools (evaluation, local deployments) run the product from outside; they may use the test
      // support, the product's feature libs (the evaluation fits fusion with the product's own
      // fusion code) and, to provision a test database, the SQL adapter lib, never the services.
      // The vector adapter lib drops a run's Milvus collection (the test server has no HTTP API for that).
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:feature', 'type:testing', 'type:tool', 'store:sql', 'store:vector'), bannedExternalImports: sdksExcept('kysely') },
      // Benchmarks start the product like a tool and, to measure what it wraps, call the stores
      // directly and load bulk corpora through the product's own adapters: every lib and SDK but the services.
      { sourceTag: 'type:bench', onlyDependOnLibsWithTags: allow('type:domain', 'type:util', 'type:testing', 'type:tool', 'type:adapter', 'type:feature') },
      // Test helpers: shared fixtures and the test servers' addresses, over the domain only.
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'], bannedExternalImports: STORE_SDKS },
    { sourceTag: 'store:vector', bannedExternalImports: sdksExcept('@zilliz/milvus2-sdk-node', 'hnswlib-node', 'better-sqlite3') },
      { sourceTag: 'store:keyword', bannedExternalImports: sdksExcept('@elastic/elasticsearch', 'better-sqlite3') },
      { sourceTag: 'store:sql', bannedExternalImports: sdksExcept('mysql2', 'better-sqlite3', 'kysely') },
      { sourceTag: 'store:cache', bannedExternalImports: sdksExcept('ioredis', 'rate-limiter-flexible') },
      { sourceTag: 'store:model', bannedExternalImports: STORE_SDKS },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', '.nx/**', '.stores/**', '.models/**', 'data/**', '**/*.d.ts'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaryOptions(false)],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.contract-spec.ts', 'test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaryOptions(true)], '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  { files: ['**/*.mjs', '**/*.mts'], ...tseslint.configs.disableTypeChecked },
);
