import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Worker threads crash Temporal's native bridge; forks isolate it.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/integration/**', 'test/api/**'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/api/**/*.test.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          // Files share one Temporal server and its task queues: one file at a time.
          fileParallelism: false,
          // Real processes start slowly on a busy machine: these bound hangs, they time nothing.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
