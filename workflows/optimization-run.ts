import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineActivities, SolverActivities } from '../activities/index.ts';
import { SOLVER_PROGRESS_SIGNAL, TASK_QUEUES, type SolverProgress, type StepRef } from '../domain/pipeline.ts';
import { notifyRun } from './notify-run.ts';
import { ProgressTracker, type RunProgress } from './progress.ts';

export const progressQuery = defineQuery<RunProgress>('progress');
const solverProgressSignal = defineSignal<[SolverProgress]>(SOLVER_PROGRESS_SIGNAL);

export interface OptimizationRunInput {
  runId: string;
}

interface OptimizationRunResult {
  runId: string;
  head: StepRef;
}

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 };

const pipeline = proxyActivities<PipelineActivities>({ startToCloseTimeout: '2m', retry });

/**
 * intake → (tariff ∥ equipment) → optimize → cost → report → notify. Activities store their
 * outputs in Postgres; only step refs (name + hash) pass through here.
 */
export async function optimizationRun({ runId }: OptimizationRunInput): Promise<OptimizationRunResult> {
  const progress = new ProgressTracker(runId);
  setHandler(progressQuery, () => progress.snapshot());
  setHandler(solverProgressSignal, (p) => progress.solverProgress(p));
  try {
    await pipeline.markRunStarted({ runId });
    const intake = await progress.track('intake', () => pipeline.intake({ runId }));
    const [tariff, equipment] = await Promise.all([
      progress.track('tariff', () => pipeline.resolveTariff({ runId, intake: intake.ref })),
      progress.track('equipment', () => pipeline.resolveEquipment({ runId, intake: intake.ref })),
    ]);
    const refs = { runId, intake: intake.ref, tariff, equipment };
    const solver = proxyActivities<SolverActivities>({
      taskQueue: TASK_QUEUES.solver,
      // The solve respects its own time limit; the margin covers model building and a slow first load.
      startToCloseTimeout: `${Math.ceil(intake.solverTimeLimitSeconds * 2 + 120)}s`,
      heartbeatTimeout: '15s',
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry,
    });
    const optimize = await progress.track('optimize', () => solver.optimize(refs));
    const cost = await progress.track('cost', () => pipeline.calculateCost({ ...refs, optimize }));
    const report = await progress.track('report', () => pipeline.buildReport({ ...refs, optimize, cost }));
    try {
      await progress.track('notify', () =>
        executeChild(notifyRun, { workflowId: `${workflowInfo().workflowId}-notify`, args: [{ runId, intake: intake.ref, report }] }),
      );
    } catch (err) {
      // The plan stands even if nobody could be told; the notifications table keeps the last error.
      if (isCancellation(err)) throw err;
    }
    await pipeline.completeRun({ runId, head: report });
    progress.finish('SUCCESS');
    return { runId, head: report };
  } catch (err) {
    if (isCancellation(err)) {
      progress.finish('CANCELLED');
      await CancellationScope.nonCancellable(() => pipeline.endRun({ runId, status: 'CANCELLED' }));
      throw err;
    }
    const { code, message } = describeFailure(err);
    progress.finish('FAILED', message);
    await pipeline.endRun({ runId, status: 'FAILED', errorCode: code, errorMessage: message });
    throw err;
  }
}

/** The innermost application failure says what went wrong (an activity failure wraps it). */
function describeFailure(err: unknown): { code?: string; message: string } {
  let cause: unknown = err;
  while (cause && typeof cause === 'object' && 'cause' in cause && (cause as { cause?: unknown }).cause) {
    if (cause instanceof ApplicationFailure) break;
    cause = (cause as { cause: unknown }).cause;
  }
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? undefined, message: cause.message };
  return { message: err instanceof Error ? err.message : String(err) };
}
