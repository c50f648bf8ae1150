import {
  ActivityCancellationType,
  CancellationScope,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineActivities, SolverActivities } from '../activities/index.ts';
import { SOLVER_PROGRESS_SIGNAL, TASK_QUEUES, type SolverProgress, type StepRef } from '../domain/pipeline.ts';
import { describeFailure } from './failure.ts';
import { raiseAlertFromWorkflow } from './alert.ts';
import { notifyRun } from './notify-run.ts';
import { ProgressTracker, type RunProgress } from './progress.ts';
import { RunIndex } from './run-index.ts';

export const progressQuery = defineQuery<RunProgress>('progress');
const solverProgressSignal = defineSignal<[SolverProgress]>(SOLVER_PROGRESS_SIGNAL);

export interface OptimizationRunInput {
  runId: string;
}

interface OptimizationRunResult {
  runId: string;
  head: StepRef;
}

/**
 * Backoff to a minute and a budget of time instead of a count of attempts, so that a Postgres or
 * Temporal outage of ten minutes is ridden out (every activity is idempotent).
 */
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };
const OUTAGE_BUDGET_SECONDS = 30 * 60;

const pipeline = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '2m',
  scheduleToCloseTimeout: `${OUTAGE_BUDGET_SECONDS}s`,
  retry,
});
/** Closing the run row is what makes it agree with the workflow: it keeps trying for a day. */
const closing = proxyActivities<PipelineActivities>({ startToCloseTimeout: '1m', scheduleToCloseTimeout: '1d', retry });

/**
 * intake → (tariff ∥ equipment) → optimize → cost → report → notify. Activities store their
 * outputs in Postgres; only step refs (name + hash) pass through here. Whatever happens, the run
 * row ends as the workflow does: SUCCESS, FAILED (with a bounded message) or CANCELLED.
 */
export async function optimizationRun({ runId }: OptimizationRunInput): Promise<OptimizationRunResult> {
  const index = new RunIndex();
  const progress = new ProgressTracker(runId, (step) => index.step(`${step} under way`));
  setHandler(progressQuery, () => progress.snapshot());
  setHandler(solverProgressSignal, (p) => progress.solverProgress(p));
  try {
    await pipeline.markRunStarted({ runId });
    const head = await planAndReport(runId, progress, index);
    const summary = await closing.completeRun({ runId, head });
    progress.finish('SUCCESS');
    index.finish('SUCCESS', summary);
    return { runId, head };
  } catch (err) {
    if (isCancellation(err)) {
      progress.finish('CANCELLED');
      index.finish('CANCELLED');
      await CancellationScope.nonCancellable(() => closing.endRun({ runId, status: 'CANCELLED' }));
      throw err;
    }
    const { code, message } = describeFailure(err);
    progress.finish('FAILED', message);
    index.finish('FAILED');
    await closing.endRun({ runId, status: 'FAILED', errorCode: code, errorMessage: message });
    if (patched('alert-on-failure')) await alertFailure(runId, code, message);
    throw err;
  }
}

/** The chain of agents, then the notification handed off; returns the report's ref (the chain head). */
async function planAndReport(runId: string, progress: ProgressTracker, index: RunIndex): Promise<StepRef> {
  const intake = await progress.track('intake', () => pipeline.intake({ runId }));
  index.describe(intake.facts);
  const [tariff, equipment] = await Promise.all([
    progress.track('tariff', () => pipeline.resolveTariff({ runId, intake: intake.ref })),
    progress.track('equipment', () => pipeline.resolveEquipment({ runId, intake: intake.ref })),
  ]);
  const refs = { runId, intake: intake.ref, tariff, equipment };
  // The solve respects its own time limit; the margin covers model building and a slow first load.
  const attemptSeconds = Math.ceil(intake.solverTimeLimitSeconds * 2 + 120);
  const solver = proxyActivities<SolverActivities>({
    taskQueue: TASK_QUEUES.solver,
    startToCloseTimeout: `${attemptSeconds}s`,
    scheduleToCloseTimeout: `${2 * attemptSeconds + OUTAGE_BUDGET_SECONDS}s`,
    heartbeatTimeout: '15s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry,
  });
  const optimize = await progress.track('optimize', () => solver.optimize(refs));
  const cost = await progress.track('cost', () => pipeline.calculateCost({ ...refs, optimize }));
  const report = await progress.track('report', () => pipeline.buildReport({ ...refs, optimize, cost }));
  await notify(progress, { runId, intake: intake.ref, report, steps: { tariff, equipment, optimize, cost } });
  return report;
}

/**
 * Hands the notification to a workflow of its own that outlives the run (ParentClosePolicy
 * ABANDON): a mail server that never answers must not hold the run open while delivery retries.
 * The plan stands even if the notification cannot be started.
 */
async function notify(progress: ProgressTracker, input: Parameters<typeof notifyRun>[0]): Promise<void> {
  const workflowId = `${workflowInfo().workflowId}-notify`;
  try {
    if (patched('notify-in-own-workflow')) {
      await progress.track('notify', () =>
        startChild(notifyRun, { workflowId, args: [input], parentClosePolicy: ParentClosePolicy.ABANDON }),
      );
    } else {
      // Runs started before the change waited for the delivery.
      await progress.track('notify', () => executeChild(notifyRun, { workflowId, args: [input] }));
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}

/** Raises optimization_failed for the run's subscribers; a failure to raise it must not hide the run's own. */
async function alertFailure(runId: string, code: string | undefined, message: string): Promise<void> {
  try {
    const alert = await closing.runFailedAlert({ runId, code, message });
    if (alert) await raiseAlertFromWorkflow(alert);
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}
