import { defineConfig } from 'vitest/config';

/** Unit tier: `*.spec.ts` beside the code, run from TypeScript sources through the `development` condition. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'tools/*/src/**/*.spec.ts', 'test/deploy/**/*.spec.ts'],
    testTimeout: 20_000,
  },
});
