import type { RunOutcome, StepRef } from '../../domain/pipeline.ts';

/** What Temporal says of a run's workflow, as the reconciliation reads it. */
export type WorkflowState =
  | { kind: 'open' }
  | { kind: 'missing' }
  | { kind: 'completed'; head: StepRef }
  | { kind: 'failed'; code?: string; message: string }
  | { kind: 'cancelled' };

/**
 * How a run row left open must end, given its workflow: as the workflow did once it has closed,
 * FAILED when Temporal has no workflow for it (never started, or past retention), and `null`
 * while the workflow still runs.
 */
export function reconciledOutcome(state: WorkflowState): RunOutcome | null {
  switch (state.kind) {
    case 'open':
      return null;
    case 'completed':
      return { status: 'SUCCESS', outputHash: state.head.hash };
    case 'cancelled':
      return { status: 'CANCELLED' };
    case 'failed':
      return { status: 'FAILED', errorCode: state.code ?? 'WORKFLOW_FAILED', errorMessage: `closed by reconciliation: ${state.message}` };
    case 'missing':
      return {
        status: 'FAILED',
        errorCode: 'WORKFLOW_NOT_FOUND',
        errorMessage: 'closed by reconciliation: Temporal has no workflow for this run (it never started, or is past retention)',
      };
  }
}
