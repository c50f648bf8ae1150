import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILE_SCHEDULE_ID } from '../../activities/runs/activity.ts';
import { optimizationRuns, runInputs } from '../../db/schema.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import { generateRequest } from '../../examples/generate.ts';
import { describeFailure } from '../../workflows/failure.ts';
import { progressQuery } from '../../workflows/optimization-run.ts';
import { runReconciliation } from '../../workflows/reconcile-runs.ts';
import { runRow, startTestPipeline, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { silentSmtp } from '../support/smtp.ts';

const small = (seed: number) => generateRequest({ seed, jobs: 4, heaters: 2, timeLimitSeconds: 5 });

/** Issue 11, "runs never lie": the run row and the workflow agree whatever happens. */
describe('the run row and the workflow agree', () => {
  let p: TestPipeline;
  let smtp: Awaited<ReturnType<typeof silentSmtp>>;

  beforeAll(async () => {
    smtp = await silentSmtp();
    p = await startTestPipeline({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  });

  afterAll(async () => {
    await p?.close();
    await smtp?.close();
  });

  /** The run's outcome as Temporal has it, and as the row and the progress query have it. */
  async function outcome(runId: string) {
    const handle = p.client.workflow.getHandle(runId);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { err, row: await runRow(p, runId), progress: await handle.query(progressQuery) };
  }

  it('an SMTP server that never answers does not hold the run open: SUCCESS while delivery goes on', async () => {
    const runId = await p.submit({ ...small(11), notify: { email: ['ops@plant.example'] } });
    const { err, row } = await outcome(runId);
    expect(err).toBeUndefined();
    expect(row.status).toBe('SUCCESS');
    const delivery = p.client.workflow.getHandle(`${runId}-notify`);
    expect((await delivery.describe()).status.name).toBe('RUNNING');
    // The delivery keeps trying on its own: the first attempt times out on the silent server and is retried.
    const attempt = await waitFor('a failed delivery attempt', async () => {
      const { rows } = await p.db.execute<{ status: string; attempts: number; last_error: string }>(
        sql`select status, attempts, last_error from notifications where run_id = ${runId}`,
      );
      return rows[0]?.attempts >= 1 ? rows[0] : undefined;
    });
    expect(attempt.status).toBe('RETRYING');
    expect(attempt.last_error).toMatch(/greeting|timeout/i);
    expect((await delivery.describe()).status.name).toBe('RUNNING');
    await delivery.terminate('test over');
  });

  it('a failure whose message runs to more than 10,000 characters is stored, bounded, on a FAILED row', async () => {
    const request = generateRequest({ seed: 12, jobs: 300, heaters: 2, timeLimitSeconds: 5 });
    for (const job of request.schedule.jobs) job.deadline = '2026-11-23T00:00:00Z'; // before every earliest start
    const runId = await p.submit(request);
    const { err, row, progress } = await outcome(runId);
    const failure = (err as WorkflowFailedError).cause!.cause as Error;
    expect(failure.message.length).toBeGreaterThan(10_000);
    expect(row).toMatchObject({ status: 'FAILED', errorCode: 'E001' });
    expect(row.errorMessage!.length).toBeLessThanOrEqual(4000);
    expect(row.errorMessage!.startsWith(failure.message.slice(0, 3900))).toBe(true);
    expect(row.errorMessage).toMatch(/… \(\d+ more characters\)$/);
    expect(progress).toMatchObject({ status: 'FAILED', error: row.errorMessage });
  });

  it('a NUL in a job id: FAILED in Temporal and on the row alike, with no SQL or parameters anywhere', async () => {
    const request = small(13);
    request.schedule.jobs[1].id = 'J\u00002';
    const runId = await p.submit(request);
    const { err, row, progress } = await outcome(runId);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(row.status).toBe('FAILED');
    expect(row.errorMessage).toBe(describeFailure(err).message);
    expect(progress).toMatchObject({ status: 'FAILED', error: row.errorMessage });
    for (const text of [row.errorMessage!, JSON.stringify((err as WorkflowFailedError).cause)]) {
      expect(text).not.toMatch(/insert into|select .* from|params:|\$1/i);
    }
    // Not retried: the same value would be refused again.
    const history = await p.client.workflow.getHandle(runId).fetchHistory();
    const retried = history.events!.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    expect(retried).toEqual([]);
  });

  it('the reconciliation closes rows left open as their workflow ended, and leaves running ones alone', async () => {
    const { db, client } = p;
    // A run that succeeded but whose row was left RUNNING (its closing write was lost).
    const succeeded = await p.submit(small(14));
    const { head } = await client.workflow.getHandle(succeeded).result();
    await db.update(optimizationRuns).set({ status: 'RUNNING', outputHash: null }).where(eq(optimizationRuns.runId, succeeded));
    // Workflows nobody works on: one terminated by an operator, one still running.
    const start = (runId: string) =>
      client.workflow.start('optimizationRun', { taskQueue: 'nobody-polls-this', workflowId: runId, args: [{ runId }] });
    const terminated = randomUUID();
    const running = randomUUID();
    const neverStarted = randomUUID();
    for (const runId of [terminated, running, neverStarted]) {
      await db.insert(optimizationRuns).values({ runId, tenantId: 'gen', status: runId === neverStarted ? 'PENDING' : 'RUNNING' });
      await db.insert(runInputs).values({ runId, tenantId: 'gen', format: 'json', content: '{}' });
    }
    await (await start(terminated)).terminate('stopped by the operator');
    await start(running);
    // Rows younger than the grace period are left to their workflow: make these old.
    for (const runId of [succeeded, terminated, running, neverStarted]) {
      await db
        .update(optimizationRuns)
        .set({ createdAt: new Date(Date.now() - 10 * 60_000) })
        .where(eq(optimizationRuns.runId, runId));
    }

    const report = await client.workflow.execute(runReconciliation, { taskQueue: TASK_QUEUES.pipeline, workflowId: randomUUID() });
    const closedNow = Object.fromEntries(report.closed.map((c) => [c.runId, c.status]));
    expect(closedNow).toMatchObject({ [succeeded]: 'SUCCESS', [terminated]: 'FAILED', [neverStarted]: 'FAILED' });
    expect(closedNow[running]).toBeUndefined();
    expect(await runRow(p, succeeded)).toMatchObject({ status: 'SUCCESS', outputHash: head.hash });
    expect(await runRow(p, terminated)).toMatchObject({
      status: 'FAILED',
      errorCode: 'WORKFLOW_TERMINATED',
      errorMessage: expect.stringContaining('stopped by the operator'),
    });
    expect(await runRow(p, neverStarted)).toMatchObject({ status: 'FAILED', errorCode: 'WORKFLOW_NOT_FOUND' });
    expect((await runRow(p, running)).status).toBe('RUNNING');
    await client.workflow.getHandle(running).terminate('test over');

    // Wherever runs start, the schedule that runs this sweep every few minutes exists.
    const schedule = await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'runReconciliation' });
  });
});
