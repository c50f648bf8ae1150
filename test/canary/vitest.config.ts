import { defineConfig } from 'vitest/config';

/**
 * The red canary (`npm run test:canary`, run by `.ci/run`): one deliberately failing test with
 * the integration set-up (embedded Postgres, Temporal dev server) loaded. It must make vitest exit
 * non-zero; if it exits 0, a failing test could land green. Not part of `npm test`.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    pool: 'forks',
    hookTimeout: 180_000,
    include: ['test/canary/red.canary.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
