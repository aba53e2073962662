import { defineConfig } from 'vitest/config';

/** Browser tier: Chromium (Debian's, headless) driven by playwright-core against the built all-in-one. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    include: ['test/browser/**/*.browser-spec.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
