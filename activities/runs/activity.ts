import { Context } from '@temporalio/activity';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client.ts';
import { closeRun, listOpenRuns, markRunStarted, runSummary } from '../../db/repositories/runs.ts';
import { TASK_QUEUES, type RunStatus, type RunSummaryMemo, type StepRef } from '../../domain/pipeline.ts';
import { describeFailure } from '../../workflows/failure.ts';
import { reconciledOutcome, type WorkflowState } from './reconcile.ts';

/** Rows younger than this are left to their workflow (it may be starting). */
const RECONCILE_GRACE_MS = 2 * 60_000;
const RECONCILE_BATCH = 100;
export const RECONCILE_SCHEDULE_ID = 'heatscheduler-reconcile-runs';

/** The run row's life: started, then SUCCESS with its chain head, or FAILED / CANCELLED; and the sweep that closes rows left open. */
export function runActivities(db: Db) {
  return {
    async markRunStarted({ runId }: { runId: string }): Promise<void> {
      await markRunStarted(db, runId);
      await ensureReconcileSchedule(Context.current());
    },

    /** Closes the run: SUCCESS with the chain head as output hash; returns its figures for the workflow's memo. */
    async completeRun({ runId, head }: { runId: string; head: StepRef }): Promise<RunSummaryMemo> {
      await closeRun(db, runId, { status: 'SUCCESS', outputHash: head.hash });
      return runSummary(db, runId);
    },

    /** Closes the run as FAILED (with the error) or CANCELLED. */
    async endRun({
      runId,
      ...outcome
    }: {
      runId: string;
      status: Extract<RunStatus, 'FAILED' | 'CANCELLED'>;
      errorCode?: string;
      errorMessage?: string;
    }): Promise<void> {
      await closeRun(db, runId, outcome);
    },

    /**
     * The last resort: run rows still open whose workflow has closed (its own closing step could
     * not reach the database in time) or never existed are closed as Temporal says they ended.
     */
    async reconcileRuns(): Promise<{ checked: number; closed: { runId: string; status: RunStatus }[] }> {
      const { client } = Context.current();
      const open = await listOpenRuns(db, new Date(Date.now() - RECONCILE_GRACE_MS), RECONCILE_BATCH);
      const closed: { runId: string; status: RunStatus }[] = [];
      for (const runId of open) {
        const outcome = reconciledOutcome(await workflowState(client, runId));
        if (outcome && (await closeRun(db, runId, outcome, { onlyIfOpen: true }))) closed.push({ runId, status: outcome.status });
      }
      return { checked: open.length, closed };
    },
  };
}

/** How the run's workflow (its id is the run id) stands in Temporal. */
async function workflowState(client: Client, runId: string): Promise<WorkflowState> {
  const handle = client.workflow.getHandle(runId);
  try {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING' || status.name === 'CONTINUED_AS_NEW') return { kind: 'open' };
    if (status.name === 'CANCELLED') return { kind: 'cancelled' };
    if (status.name === 'COMPLETED') return { kind: 'completed', head: ((await handle.result()) as { head: StepRef }).head };
    const failure = await handle.result().then(
      () => ({ message: `the workflow ended ${status.name}` }),
      (err: unknown) => describeFailure(err),
    );
    return { kind: 'failed', ...failure };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'missing' };
    throw err;
  }
}

let scheduleEnsured: Promise<void> | undefined;

/**
 * Makes sure the Temporal Schedule that runs the reconciliation every few minutes exists, once per
 * worker process (wherever runs start, the sweep exists). A failure to create it is logged, not
 * fatal to the run, and tried again at the next run.
 */
function ensureReconcileSchedule(ctx: Context): Promise<void> {
  scheduleEnsured ??= ctx.client.schedule
    .create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      spec: { intervals: [{ every: '5m' }] },
      action: { type: 'startWorkflow', workflowType: 'runReconciliation', taskQueue: TASK_QUEUES.pipeline, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    })
    .then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof ScheduleAlreadyRunning) return;
        scheduleEnsured = undefined;
        ctx.log.warn('could not create the run reconciliation schedule', { error: String(err) });
      },
    );
  return scheduleEnsured;
}
