import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import { progressQuery, type optimizationRun } from '../../workflows/optimization-run.ts';
import { heartbeatUntilCancelled, StubActivities, WorkflowHarness } from './harness.ts';

/** The optimizationRun workflow on a real Temporal server, with stub activities (no database, no solver). */
describe('the optimizationRun workflow', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await WorkflowHarness.start();
  });

  afterAll(async () => {
    await h?.stop();
  });

  const start = (runId: string) =>
    h.client.workflow.start<typeof optimizationRun>('optimizationRun', {
      taskQueue: TASK_QUEUES.pipeline,
      workflowId: runId,
      args: [{ runId }],
    });

  it('runs every step in order and closes the run with the report as chain head', async () => {
    const stubs = new StubActivities();
    const runId = randomUUID();
    const result = await h.withWorkers(stubs, async () => (await start(runId)).result());
    expect(result).toEqual({ runId, head: { step: 'report', hash: 'hash-of-report' } });
    const order = stubs.calls.map((c) => c.name);
    expect(order.slice(0, 2)).toEqual(['markRunStarted', 'intake']);
    expect(order.slice(2, 4).sort()).toEqual(['resolveEquipment', 'resolveTariff']);
    expect(order.slice(4)).toEqual(['optimize', 'calculateCost', 'buildReport', 'sendRunEmail', 'completeRun']);
    expect(stubs.called('optimize')).toEqual([
      {
        runId,
        intake: { step: 'intake', hash: 'hash-of-intake' },
        tariff: { step: 'tariff', hash: 'hash-of-tariff' },
        equipment: { step: 'equipment', hash: 'hash-of-equipment' },
      },
    ]);
    expect(stubs.called('completeRun')).toEqual([{ runId, head: { step: 'report', hash: 'hash-of-report' } }]);
  });

  it('a domain failure fails the run for good: no retry, the code and message on the run row, no later step', async () => {
    const stubs = new StubActivities({
      resolveEquipment: async () => {
        throw new DomainError(ErrorCode.EQUIPMENT_NOT_FOUND, 'jobs name heaters the site does not have', [
          { path: 'schedule.jobs[0].allowedEquipment[0]', message: 'unknown heater HTR-9 at site plant-1' },
        ]);
      },
    });
    const runId = randomUUID();
    const { err, progress } = await h.withWorkers(stubs, async () => {
      const handle = await start(runId);
      const err = await handle.result().catch((e: unknown) => e);
      return { err, progress: await handle.query(progressQuery) };
    });
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (err as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(activityFailure!.cause).toBeInstanceOf(ApplicationFailure);
    expect(activityFailure!.cause).toMatchObject({ type: 'E007', nonRetryable: true });
    expect(stubs.called('resolveEquipment')).toHaveLength(1);
    const message = 'jobs name heaters the site does not have: schedule.jobs[0].allowedEquipment[0]: unknown heater HTR-9 at site plant-1';
    expect(stubs.called('endRun')).toEqual([{ runId, status: 'FAILED', errorCode: 'E007', errorMessage: message }]);
    expect(stubs.called('optimize')).toEqual([]);
    expect(stubs.called('completeRun')).toEqual([]);
    expect(progress).toMatchObject({ status: 'FAILED', error: message, currentStep: null });
    expect(progress.steps).toMatchObject({ intake: 'done', equipment: 'failed', optimize: 'pending' });
  });

  it('a notification that fails leaves the plan standing: the run completes as SUCCESS', async () => {
    const stubs = new StubActivities({
      sendRunEmail: async () => {
        throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'SmtpRejected');
      },
    });
    const runId = randomUUID();
    const { result, progress } = await h.withWorkers(stubs, async () => {
      const handle = await start(runId);
      return { result: await handle.result(), progress: await handle.query(progressQuery) };
    });
    expect(result.head).toEqual({ step: 'report', hash: 'hash-of-report' });
    expect(stubs.called('sendRunEmail')).toHaveLength(1);
    expect(stubs.called('completeRun')).toEqual([{ runId, head: { step: 'report', hash: 'hash-of-report' } }]);
    expect(stubs.called('endRun')).toEqual([]);
    expect(progress).toMatchObject({ status: 'SUCCESS', steps: { report: 'done', notify: 'failed' } });
  });

  it('cancelling mid-solve cancels the solve, records CANCELLED and runs no later step', async () => {
    let solving!: () => void;
    const solveStarted = new Promise<void>((resolve) => (solving = resolve));
    let solveCancelled = false;
    const stubs = new StubActivities({
      optimize: heartbeatUntilCancelled({ started: () => solving(), cancelled: () => (solveCancelled = true) }),
    });
    const runId = randomUUID();
    const { err, progress } = await h.withWorkers(stubs, async () => {
      const handle = await start(runId);
      await solveStarted;
      await handle.cancel();
      const err = await handle.result().catch((e: unknown) => e);
      return { err, progress: await handle.query(progressQuery) };
    });
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    // The workflow waited for the solve to hear the cancellation before closing the run.
    expect(solveCancelled).toBe(true);
    expect(stubs.called('endRun')).toEqual([{ runId, status: 'CANCELLED' }]);
    expect(stubs.called('calculateCost')).toEqual([]);
    expect(stubs.called('completeRun')).toEqual([]);
    expect(progress.status).toBe('CANCELLED');
    expect(progress.steps).toMatchObject({ intake: 'done', tariff: 'done', equipment: 'done', optimize: 'cancelled', cost: 'cancelled' });
  });
});
