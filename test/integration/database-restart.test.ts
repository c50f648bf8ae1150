import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/client.ts';
import { optimizedAssignments } from '../../db/schema.ts';
import { freePort } from '../../infra/ports.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../infra/postgres.ts';
import { verifyRunChain } from '../../runs/read.ts';
import { HARD_JOBS, hardRequest, runRow, solving, startTestPipeline, stepNames, waitFor, type TestPipeline } from '../support/pipeline.ts';

/** A Postgres of its own, so stopping it does not disturb the other suites. */
describe('a database restart in the middle of a run', () => {
  let dir: string;
  let port: number;
  let pg: EmbeddedPostgresHandle;
  let p: TestPipeline;
  const startPg = () => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heatscheduler-pg-restart-'));
    port = await freePort();
    pg = await startPg();
    await migrateDatabase(pg.url);
    p = await startTestPipeline({ DATABASE_URL: pg.url });
  });

  afterAll(async () => {
    await p?.close();
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rides out Postgres down for 30 s mid-run: the step that met the outage is retried until it is back, one result, an intact chain', async () => {
    const runId = await p.submit(hardRequest(6));
    await solving(p, runId);
    const stoppedAt = Date.now();
    await pg.stop();
    // The solve ends while the database is down: storing its result fails and the attempt is retried.
    const failure = await waitFor(
      'the optimize attempt to fail on the database',
      async () => {
        const { raw } = await p.client.workflow.getHandle(runId).describe();
        return raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize' && a.lastFailure)?.lastFailure ?? undefined;
      },
      90_000,
    );
    expect(failure.message).toMatch(/ECONNREFUSED|connect|terminat|Connection/i);
    expect(failure.message).not.toMatch(/insert into|select .* from|params:/i);
    // Longer than five quick attempts (1 + 2 + 4 + 8 s) would have lasted.
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 30_000 - Date.now())));
    pg = await startPg();

    await p.client.workflow.getHandle(runId).result();
    expect((await runRow(p, runId)).status).toBe('SUCCESS');
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report']);
    expect((await verifyRunChain(p.db, runId)).ok).toBe(true);
    const [{ n }] = await p.db
      .select({ n: sql<number>`count(*)::int` })
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized')));
    expect(n).toBe(HARD_JOBS);
  });
});
