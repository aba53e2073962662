import { defineConfig } from 'vitest/config';

/** End-to-end tier: starts the built all-in-one and talks to it over HTTP only. */
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    include: ['test/e2e/**/*.e2e-spec.ts'],
    // Without model servers (a quick local run), leave out the suites that need them; without
    // the full profile, the crash-safety suite, which needs the real stores.
    exclude: [
      ...(process.env.E2E_WITHOUT_MODELS === '1' ? ['test/e2e/model-servers.e2e-spec.ts', 'test/e2e/navigate-models.e2e-spec.ts', 'test/e2e/eval-models.e2e-spec.ts'] : []),
      ...(process.env.E2E_PROFILES && !process.env.E2E_PROFILES.split(',').includes('full') ? ['test/e2e/crash-safety.e2e-spec.ts'] : []),
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
