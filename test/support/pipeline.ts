import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDb, type DbHandle } from '../../db/client.ts';
import { optimizationRuns, runSteps } from '../../db/schema.ts';
import { spawnWorker, type WorkerKind, type WorkerProcess } from '../../infra/worker-process.ts';
import { generateRequest } from '../../examples/generate.ts';
import { submitRun } from '../../runs/submit.ts';

export interface TestPipeline {
  db: DbHandle['db'];
  client: Client;
  connection: Connection;
  env: NodeJS.ProcessEnv;
  workers: Record<WorkerKind, WorkerProcess>;
  /** Replaces a worker process (after a kill, say) with a fresh one. */
  restart(kind: WorkerKind): Promise<WorkerProcess>;
  submit(request: unknown): Promise<string>;
  close(): Promise<void>;
}

/** Real worker processes against the suite's Temporal server and Postgres. */
export async function startTestPipeline(extraEnv: NodeJS.ProcessEnv = {}): Promise<TestPipeline> {
  const env = {
    ...process.env,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const handle = openDb(env.DATABASE_URL);
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const [pipeline, solver] = await Promise.all([spawnWorker('pipeline', env), spawnWorker('solver', env)]);
  const workers: Record<WorkerKind, WorkerProcess> = { pipeline, solver };
  return {
    db: handle.db,
    client,
    connection,
    env,
    workers,
    async restart(kind) {
      await workers[kind].kill();
      workers[kind] = await spawnWorker(kind, env);
      return workers[kind];
    },
    async submit(request) {
      const { runId } = await submitRun(handle.db, client, { content: JSON.stringify(request), format: 'json' });
      return runId;
    },
    async close() {
      await Promise.all(Object.values(workers).map((w) => w.stop()));
      await connection.close();
      await handle.close();
    },
  };
}

export async function runRow(p: TestPipeline, runId: string) {
  const [row] = await p.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
  return row;
}

export async function stepNames(p: TestPipeline, runId: string): Promise<string[]> {
  const rows = await p.db.select({ step: runSteps.step }).from(runSteps).where(eq(runSteps.runId, runId)).orderBy(runSteps.seq);
  return rows.map((r) => r.step);
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves when the run's optimize activity is solving and has heartbeated at least once. */
export async function solving(p: TestPipeline, runId: string) {
  return waitFor(
    'the solve to be under way',
    async () => {
      const { raw } = await p.client.workflow.getHandle(runId).describe();
      const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize');
      return pending?.heartbeatDetails?.payloads?.length ? pending : undefined;
    },
    90_000,
  );
}

// Big enough that HiGHS keeps working until its time limit (120 jobs × 6 heaters: still a 2.8 % gap after 30 s here).
export const HARD_JOBS = 120;
export const hardRequest = (timeLimitSeconds: number) =>
  generateRequest({ seed: 7, jobs: HARD_JOBS, heaters: 6, windows: 'loose', utilisation: 0.6, timeLimitSeconds });
