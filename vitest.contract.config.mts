import { defineConfig } from 'vitest/config';

/** Contract tier: `*.contract-spec.ts`, each port's cases run once per adapter. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    include: ['libs/*/src/**/*.contract-spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
