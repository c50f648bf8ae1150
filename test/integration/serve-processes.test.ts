import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../db/client.ts';
import { freePort, isListening } from '../../infra/ports.ts';
import { processAlive } from '../../infra/processes.ts';
import { submitRun } from '../../runs/submit.ts';
import { hardRequest, waitFor } from '../support/pipeline.ts';
import { descendants, startCli, workerProcesses, type CliProcess } from '../support/processes.ts';

const example = readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8');
const STEP_TIMEOUT = 400_000;

/** A Temporal port whose UI port (port + 1000) is free too. */
async function temporalPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 1000 < 65536 && !(await isListening('127.0.0.1', port + 1000))) return port;
  }
}

/**
 * `heatscheduler serve` as a child process of the test, on a data directory and ports of its own:
 * it keeps its workers alive, leaves nothing behind when stopped, and cleans up after a kill -9.
 */
describe('serve supervises its processes', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let temporalAddress: string;
  let databaseUrl: string;
  const started: CliProcess[] = [];
  let serve: CliProcess;

  const startServe = async () => {
    const p = startCli(['serve'], env);
    started.push(p);
    await p.waitForLine(/HeatScheduler API on/, 240_000);
    return p;
  };
  /** Runs `fn` with a client and a database connection to the stack `serve` runs. */
  const withStack = async <T>(fn: (client: Client, db: DbHandle) => Promise<T>): Promise<T> => {
    const db = openDb(databaseUrl);
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      return await fn(new Client({ connection }), db);
    } finally {
      await connection.close();
      await db.close();
    }
  };
  const runToCompletion = (content: string) =>
    withStack(async (client, db) => {
      const { runId } = await submitRun(db.db, client, { content, format: 'json' });
      await client.workflow.getHandle(runId).result();
      return runId;
    });
  const runStatus = (runId: string) =>
    withStack(async (_client, db) => {
      const { rows } = await db.pool.query<{ status: string }>('select status from optimization_runs where run_id = $1', [runId]);
      return rows[0]?.status;
    });
  const workerPid = (kind: 'pipeline' | 'solver') => {
    const found = workerProcesses(temporalAddress).filter((w) => w.kind === kind);
    expect(found).toHaveLength(1);
    return found[0].pid;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heatscheduler-serve-'));
    const [port, pgPort, apiPort] = [await temporalPort(), await freePort(), await freePort()];
    temporalAddress = `127.0.0.1:${port}`;
    databaseUrl = `postgres://heatscheduler:heatscheduler@127.0.0.1:${pgPort}/heatscheduler`;
    env = { ...process.env, LOG_LEVEL: 'warn' };
    for (const key of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL']) delete env[key];
    Object.assign(env, {
      HEATSCHEDULER_DATA_DIR: dir,
      HEATSCHEDULER_TEMPORAL_PORT: String(port),
      HEATSCHEDULER_PG_PORT: String(pgPort),
      PORT: String(apiPort),
    });
  });

  afterAll(async () => {
    // Whatever a failed step left: every process below each serve, then the serves.
    const leftovers = started.flatMap((p) => (p.child.pid ? descendants(p.child.pid) : []));
    await Promise.all(started.map((p) => p.kill()));
    for (const pid of [...leftovers, ...workerProcesses(temporalAddress).map((w) => w.pid)]) {
      if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'restarts the solver and then the pipeline worker after a kill -9 mid-run, and the run completes; verify exits 0',
    async () => {
      serve = await startServe();
      const runId = await withStack(
        async (client, db) => (await submitRun(db.db, client, { content: JSON.stringify(hardRequest(8)), format: 'json' })).runId,
      );
      await withStack((client) =>
        waitFor('the solve to be under way', async () => {
          const { raw } = await client.workflow.getHandle(runId).describe();
          return raw.pendingActivities?.find((a) => a.activityType?.name === 'optimize' && a.heartbeatDetails?.payloads?.length);
        }),
      );
      const solver = workerPid('solver');
      process.kill(solver, 'SIGKILL');
      await serve.waitForLine(/\[solver\] worker exited \(SIGKILL\); restarting/);
      await serve.waitForLine(/\[solver\] worker restarted \(pid \d+\)/, 180_000);
      expect(workerPid('solver')).not.toBe(solver);

      const pipeline = workerPid('pipeline');
      process.kill(pipeline, 'SIGKILL');
      await serve.waitForLine(/\[pipeline\] worker exited \(SIGKILL\); restarting/);
      await serve.waitForLine(/\[pipeline\] worker restarted \(pid \d+\)/, 180_000);

      await withStack((client) => client.workflow.getHandle(runId).result());
      expect(await runStatus(runId)).toBe('SUCCESS');
      // verify reads Postgres only; with Temporal up it exits 0 (it used to crash with "Channel has been shut down").
      const verify = startCli(['verify', runId], env);
      expect(await verify.exited).toEqual({ code: 0, signal: null });
      expect(verify.lines.join('\n')).toContain(`chain of run ${runId} verified`);
      const bad = startCli(['verify', 'abc'], env);
      expect((await bad.exited).code).toBe(2);
      expect(bad.lines.join('\n')).toContain('"abc" is not a run id');
    },
    STEP_TIMEOUT,
  );

  it(
    'after a kill -9 of serve, the next serve ends what it left (workers, Temporal, Postgres) and runs with one pair of workers',
    async () => {
      const killed = serve.child.pid!;
      const left = descendants(killed);
      expect(left.length).toBeGreaterThanOrEqual(4); // Postgres (and its backends), Temporal, two workers
      serve.child.kill('SIGKILL');
      await serve.exited;

      serve = await startServe();
      for (const pid of left) expect(processAlive(pid), `pid ${pid} of the killed serve`).toBe(false);
      expect(serve.lines.join('\n')).toMatch(new RegExp(`stopped what an earlier HeatScheduler \\(pid ${killed}\\) left running`));
      const workers = workerProcesses(temporalAddress);
      expect(workers.map((w) => w.kind).sort()).toEqual(['pipeline', 'solver']);
      expect(await runStatus(await runToCompletion(example))).toBe('SUCCESS');
    },
    STEP_TIMEOUT,
  );

  it(
    'SIGTERM stops serve and everything it started, exit code 0; the next serve starts clean',
    async () => {
      const children = descendants(serve.child.pid!);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toEqual({ code: 0, signal: null });
      for (const pid of children) expect(processAlive(pid), `pid ${pid} of the stopped serve`).toBe(false);
      expect(existsSync(join(dir, 'stack.json'))).toBe(false);
      expect(workerProcesses(temporalAddress)).toEqual([]);

      serve = await startServe();
      expect(serve.lines.join('\n')).not.toMatch(/left running|reusing|already running/);
      expect(await runStatus(await runToCompletion(example))).toBe('SUCCESS');
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toEqual({ code: 0, signal: null });
    },
    STEP_TIMEOUT,
  );
});
