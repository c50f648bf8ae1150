import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): `heatscheduler serve` as a child process with its own
 * embedded Temporal and Postgres, and runs in flight while workers are killed, Postgres goes down,
 * Temporal and serve restart and the mail server hangs. `npm test` runs it after the main suite (it takes minutes).
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    include: ['test/faults/**/*.faults.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
