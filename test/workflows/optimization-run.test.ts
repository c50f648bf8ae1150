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

  it('runs every step in order, closes the run with the report as chain head and hands the e-mail to its own workflow', async () => {
    const stubs = new StubActivities();
    const runId = randomUUID();
    const { result, email } = await h.withWorkers(stubs, async () => {
      const result = await (await start(runId)).result();
      return { result, email: await h.client.workflow.getHandle(`${runId}-notify`).result() };
    });
    expect(result).toEqual({ runId, head: { step: 'report', hash: 'hash-of-report' } });
    expect(email).toEqual({
      email: { status: 'sent', recipients: ['ops@plant.example'] },
      slack: { status: 'skipped', channels: [], refused: [] },
      alerts: 0,
      writeBack: { status: 'skipped', reason: 'stub' },
    });
    expect(stubs.called('writeBackSchedule')).toEqual([
      { runId, intake: { step: 'intake', hash: 'hash-of-intake' }, optimize: { step: 'optimize', hash: 'hash-of-optimize' } },
    ]);
    expect(stubs.called('runAlertsFor')).toEqual([
      {
        runId,
        intake: { step: 'intake', hash: 'hash-of-intake' },
        tariff: { step: 'tariff', hash: 'hash-of-tariff' },
        equipment: { step: 'equipment', hash: 'hash-of-equipment' },
        optimize: { step: 'optimize', hash: 'hash-of-optimize' },
        cost: { step: 'cost', hash: 'hash-of-cost' },
      },
    ]);
    const order = stubs.calls
      .map((c) => c.name)
      .filter((name) => !['sendRunEmail', 'sendRunSlack', 'runAlertsFor', 'writeBackSchedule'].includes(name));
    expect(order.slice(0, 2)).toEqual(['markRunStarted', 'intake']);
    expect(order.slice(2, 4).sort()).toEqual(['resolveEquipment', 'resolveTariff']);
    expect(order.slice(4)).toEqual(['optimize', 'calculateCost', 'buildReport', 'completeRun']);
    expect(stubs.called('optimize')).toEqual([
      {
        runId,
        intake: { step: 'intake', hash: 'hash-of-intake' },
        tariff: { step: 'tariff', hash: 'hash-of-tariff' },
        equipment: { step: 'equipment', hash: 'hash-of-equipment' },
      },
    ]);
    const summary = { runId, intake: { step: 'intake', hash: 'hash-of-intake' }, report: { step: 'report', hash: 'hash-of-report' } };
    expect(stubs.called('sendRunEmail')).toEqual([summary]);
    expect(stubs.called('sendRunSlack')).toEqual([summary]);
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
    expect(stubs.called('runFailedAlert')).toEqual([{ runId, code: 'E007', message }]);
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
    const { result, progress, email } = await h.withWorkers(stubs, async () => {
      const handle = await start(runId);
      const result = await handle.result();
      const email = await h.client.workflow
        .getHandle(`${runId}-notify`)
        .result()
        .catch((e: unknown) => e);
      return { result, progress: await handle.query(progressQuery), email };
    });
    expect(result.head).toEqual({ step: 'report', hash: 'hash-of-report' });
    expect(email).toBeInstanceOf(WorkflowFailedError);
    expect(stubs.called('sendRunEmail')).toHaveLength(1);
    expect(stubs.called('completeRun')).toEqual([{ runId, head: { step: 'report', hash: 'hash-of-report' } }]);
    expect(stubs.called('endRun')).toEqual([]);
    expect(progress).toMatchObject({ status: 'SUCCESS', steps: { report: 'done', notify: 'done' } });
  });

  it('a notification that never ends does not hold the run open: SUCCESS while delivery goes on', async () => {
    let sending!: () => void;
    const sendStarted = new Promise<void>((resolve) => (sending = resolve));
    const stubs = new StubActivities({ sendRunEmail: heartbeatUntilCancelled({ started: () => sending(), cancelled: () => undefined }) });
    const runId = randomUUID();
    const { result, delivery } = await h.withWorkers(stubs, async () => {
      const result = await (await start(runId)).result();
      await sendStarted;
      const notifyHandle = h.client.workflow.getHandle(`${runId}-notify`);
      const delivery = (await notifyHandle.describe()).status.name;
      await notifyHandle.terminate('test over');
      return { result, delivery };
    });
    expect(result.head).toEqual({ step: 'report', hash: 'hash-of-report' });
    expect(stubs.called('completeRun')).toHaveLength(1);
    expect(delivery).toBe('RUNNING');
  });

  it('a failure with a 10,000-character message is stored bounded, and the progress says the same', async () => {
    const long = `E1 ${'runs one job at a time; '.repeat(420)}`;
    expect(long.length).toBeGreaterThan(10_000);
    const stubs = new StubActivities({
      calculateCost: async () => {
        throw new DomainError(ErrorCode.INFEASIBLE_PROBLEM, long);
      },
    });
    const runId = randomUUID();
    const { err, progress } = await h.withWorkers(stubs, async () => {
      const handle = await start(runId);
      const err = await handle.result().catch((e: unknown) => e);
      return { err, progress: await handle.query(progressQuery) };
    });
    expect((err as WorkflowFailedError).cause!.cause).toMatchObject({ message: long }); // Temporal keeps it whole
    const [ended] = stubs.called('endRun') as { status: string; errorCode: string; errorMessage: string }[];
    expect(ended).toMatchObject({ status: 'FAILED', errorCode: 'E003' });
    expect(ended.errorMessage.length).toBeLessThanOrEqual(4000);
    expect(ended.errorMessage.startsWith(long.slice(0, 3900))).toBe(true);
    expect(ended.errorMessage).toMatch(/… \(\d+ more characters\)$/);
    expect(progress.error).toBe(ended.errorMessage);
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
