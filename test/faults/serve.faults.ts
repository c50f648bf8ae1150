import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun, verifyRunChain } from '../../runs/read.ts';
import { generateRequest } from '../../examples/generate.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../infra/postgres.ts';
import { endProcess } from '../../infra/processes.ts';
import { startTemporalDevServer, type TemporalDevServer } from '../../infra/temporal-server.ts';
import { waitFor } from '../support/pipeline.ts';
import type { CliProcess } from '../support/processes.ts';
import { serveStack, type ServeStack } from '../support/serve.ts';
import { silentSmtp } from '../support/smtp.ts';

/** Runs in flight through each fault (the issue asks for 30; FAULTS_RUNS=N for fewer on a small machine). */
const RUNS = Number(process.env.FAULTS_RUNS ?? 30);
/** Also keep Postgres down for 3 minutes (FAULTS_LONG_OUTAGE=1): some 4 more minutes of suite. */
const LONG_OUTAGE = process.env.FAULTS_LONG_OUTAGE === '1';
/**
 * A bound on a batch's time to end after its fault, not a speed target: a pipeline activity lost
 * with its worker waits out its 2-minute attempt, and the runs share one solver slot (on a busy
 * 2-core machine a small run can take 15 s of it).
 */
const SETTLE_MS = 180_000 + RUNS * 30_000;
const TEST_MS = SETTLE_MS * 2 + 300_000;
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small day (4 jobs, 2 heaters, 5 s limit) with a summary to e-mail, so every run also meets the hanging mail server. */
const smallRun = (seed: number) => ({
  ...generateRequest({ seed, jobs: 4, heaters: 2, timeLimitSeconds: 5 }),
  notify: { email: ['plant@example.com'] },
});

/**
 * The fault suite of issue 11 on the real stack: `serve` as a child process (its embedded Temporal
 * dev server and Postgres, both workers), a mail server that accepts connections and never answers,
 * and a batch of runs submitted through the API before each fault. Every run must end SUCCESS (or
 * FAILED with its reason) in Temporal and in the database alike, with exactly one result and a
 * chain that verifies.
 */
describe('faults: every run ends, once, the same in Temporal and Postgres', () => {
  let stack: ServeStack;
  let serve: CliProcess;
  let smtp: Awaited<ReturnType<typeof silentSmtp>>;
  /** Services the test restarted itself (so it stops them): the Temporal dev server, Postgres. */
  const restarted: { stop(): Promise<void> }[] = [];
  let seed = 0;

  beforeAll(async () => {
    smtp = await silentSmtp();
    stack = await serveStack({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SUBMIT_RATE_LIMIT_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    serve = await stack.start();
  });
  afterAll(async () => {
    await stack?.cleanup();
    for (const service of restarted.reverse()) await service.stop().catch(() => {});
    await smtp?.close();
  });

  /** Posts RUNS small runs to serve's API at once; their ids. */
  async function submitBatch(): Promise<string[]> {
    const replies = await Promise.all(
      Array.from({ length: RUNS }, async () => {
        const response = await fetch(`${stack.apiBase}/api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(smallRun(++seed)),
        });
        expect(response.status).toBe(202);
        return ((await response.json()) as { runId: string }).runId;
      }),
    );
    return replies;
  }

  const statuses = (runIds: string[]) =>
    stack.withStack(async (_client, db) => {
      const { rows } = await db.pool.query<{ status: string }>('select status from optimization_runs where run_id = any($1)', [runIds]);
      return rows.map((r) => r.status);
    });

  /** Waits until the batch is under way (one run done) and returns how many were still in flight. */
  async function underWay(runIds: string[]): Promise<number> {
    return waitFor(
      'the first run of the batch to end',
      async () => {
        const all = await statuses(runIds);
        const done = all.filter((s) => TERMINAL.has(s)).length;
        return done >= 1 ? runIds.length - done : undefined;
      },
      SETTLE_MS,
    );
  }

  /** Waits until every run of the batch has ended in Temporal and in the database, then checks each. */
  async function expectEveryRunEnded(runIds: string[], what: string): Promise<void> {
    const started = Date.now();
    await waitFor(
      `every run of the batch to end after ${what}`,
      async () => ((await statuses(runIds)).every((s) => TERMINAL.has(s)) ? true : undefined),
      SETTLE_MS,
    );
    const outcomes = await stack.withStack((client, db) => Promise.all(runIds.map((runId) => runOutcome(client, db, runId))));
    const summary = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});
    console.log(
      `${what}: ${runIds.length} runs ended (${JSON.stringify(summary)}), the last ${((Date.now() - started) / 1000).toFixed(0)} s after the fault`,
    );
    for (const o of outcomes) {
      expect(o, `run ${o.runId}`).toMatchObject({ agree: true, oneResult: true, chainVerified: true });
      if (o.status === 'FAILED') expect(o.errorCode ?? o.errorMessage, `run ${o.runId} failed without a reason`).toBeTruthy();
    }
    // Small, feasible days with a mail server down: nothing here is a reason to fail.
    expect(summary).toEqual({ SUCCESS: runIds.length });
  }

  it(`kill -9 of the solver worker with ${RUNS} runs in flight`, { timeout: TEST_MS }, async () => {
    const runIds = await submitBatch();
    const inFlight = await underWay(runIds);
    process.kill(stack.workerPid('solver'), 'SIGKILL');
    console.log(`solver worker killed with ${inFlight} runs in flight`);
    await serve.waitForLine(/\[solver\] worker restarted \(pid \d+\)/, 180_000);
    await expectEveryRunEnded(runIds, 'solver worker kill -9');
  });

  it(`kill -9 of the pipeline worker with ${RUNS} runs in flight`, { timeout: TEST_MS }, async () => {
    const runIds = await submitBatch();
    const inFlight = await underWay(runIds);
    process.kill(stack.workerPid('pipeline'), 'SIGKILL');
    console.log(`pipeline worker killed with ${inFlight} runs in flight`);
    await serve.waitForLine(/\[pipeline\] worker restarted \(pid \d+\)/, 180_000);
    await expectEveryRunEnded(runIds, 'pipeline worker kill -9');
  });

  it(`serve killed (kill -9) and started again with ${RUNS} runs in flight`, { timeout: TEST_MS }, async () => {
    const runIds = await submitBatch();
    const inFlight = await underWay(runIds);
    serve.child.kill('SIGKILL');
    await serve.exited;
    console.log(`serve killed with ${inFlight} runs in flight`);
    serve = await stack.start();
    await expectEveryRunEnded(runIds, 'serve kill -9 and restart');
  });

  it(`the Temporal dev server restarted with ${RUNS} runs in flight`, { timeout: TEST_MS }, async () => {
    const runIds = await submitBatch();
    const inFlight = await underWay(runIds);
    const pid = await stack.temporalPid();
    expect(await endProcess(pid, /start-dev/, { signal: 'SIGTERM' })).toBe(true);
    console.log(`Temporal dev server stopped with ${inFlight} runs in flight`);
    restarted.push(await restartTemporal(stack));
    await expectEveryRunEnded(runIds, 'Temporal restart');
  });

  const postgresOutage = (seconds: number) => async () => {
    const runIds = await submitBatch();
    const inFlight = await underWay(runIds);
    const pid = Number((await readFile(join(stack.dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(await endProcess(pid, /postgres/, { signal: 'SIGINT', graceMs: 15_000 })).toBe(true);
    console.log(`Postgres stopped with ${inFlight} runs in flight; down for ${seconds} s`);
    await sleep(seconds * 1000);
    restarted.push(await restartPostgres(stack));
    await expectEveryRunEnded(runIds, `Postgres down ${seconds} s`);
  };
  it(`Postgres down 10 s with ${RUNS} runs in flight`, { timeout: TEST_MS }, postgresOutage(10));
  it.runIf(LONG_OUTAGE)(`Postgres down 3 min with ${RUNS} runs in flight`, { timeout: TEST_MS + 180_000 }, postgresOutage(180));
});

/** One run as Temporal and the database each tell it, and whether they agree on one verified result. */
async function runOutcome(
  client: Parameters<Parameters<ServeStack['withStack']>[0]>[0],
  db: Parameters<Parameters<ServeStack['withStack']>[0]>[1],
  runId: string,
) {
  const row = await loadRun(db.db, runId);
  const description = await client.workflow.getHandle(runId).describe();
  const expected = { COMPLETED: 'SUCCESS', FAILED: 'FAILED', CANCELLED: 'CANCELLED', TERMINATED: 'FAILED', TIMED_OUT: 'FAILED' } as Record<
    string,
    string
  >;
  const agree = expected[description.status.name] === row.status;
  let oneResult = true;
  let chainVerified = row.status !== 'SUCCESS';
  if (row.status === 'SUCCESS') {
    const { rows: steps } = await db.pool.query<{ step: string; n: string }>(
      'select step, count(*) as n from run_steps where run_id = $1 group by step order by step',
      [runId],
    );
    const { rows: reports } = await db.pool.query<{ n: string }>(
      "select count(*) as n from artefacts where run_id = $1 and kind = 'report.json'",
      [runId],
    );
    const { rows: assigned } = await db.pool.query<{ n: string }>(
      "select count(*) as n from optimized_assignments where run_id = $1 and plan = 'optimized'",
      [runId],
    );
    const result = (await client.workflow.getHandle(runId).result()) as { head: { hash: string } };
    oneResult =
      steps.length === 6 &&
      steps.every((s) => s.n === '1') &&
      reports[0].n === '1' &&
      Number(assigned[0].n) === row.assignmentsCount &&
      result.head.hash === row.outputHash;
    const verdict = await verifyRunChain(db.db, runId);
    chainVerified = verdict.ok && verdict.head === row.outputHash;
  }
  return {
    runId,
    status: row.status,
    temporal: description.status.name,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    agree,
    oneResult,
    chainVerified,
  };
}

/** Starts the Temporal dev server again on serve's port and history (its SQLite file). */
function restartTemporal(stack: ServeStack): Promise<TemporalDevServer> {
  return startTemporalDevServer({
    dataDir: join(stack.dir, 'temporal'),
    port: stack.temporalPort,
    uiPort: stack.temporalPort + 1000,
    headless: true,
  });
}

/** Starts Postgres again on serve's data directory and port. */
function restartPostgres(stack: ServeStack): Promise<EmbeddedPostgresHandle> {
  return startEmbeddedPostgres({ dataDir: join(stack.dir, 'pg'), port: stack.pgPort, reuse: false });
}
