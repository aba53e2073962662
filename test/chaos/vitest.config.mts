import { defineConfig } from 'vitest/config';

/** The chaos tier: one long suite against its own real servers; run through scripts/chaos/run-chaos.sh. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    include: ['test/chaos/**/*.chaos-spec.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
