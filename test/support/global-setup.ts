import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../db/client.ts';
import { freePort } from '../../infra/ports.ts';
import { startEmbeddedPostgres } from '../../infra/postgres.ts';
import { startTemporalDevServer } from '../../infra/temporal-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
  }
}

/** One real Temporal dev server and one real Postgres for all integration tests. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'heatscheduler-it-'));
  const [pgPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort }),
    startTemporalDevServer({ dataDir: join(dir, 'temporal'), port: temporalPort, uiPort, headless: true }),
  ]);
  await migrateDatabase(pg.url);
  project.provide('databaseUrl', pg.url);
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
