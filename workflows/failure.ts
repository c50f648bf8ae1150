import { ApplicationFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { boundedText, FAILURE_CODE_MAX, FAILURE_MESSAGE_MAX } from '../domain/bounded-text.ts';

export interface FailureSummary {
  code?: string;
  message: string;
}

/**
 * What went wrong, as the run row and the progress query keep it: the innermost application
 * failure (an activity failure wraps it) with its type as code, bounded so that it can always be
 * stored. Pure: used in workflow code and by the reconciliation.
 */
export function describeFailure(err: unknown): FailureSummary {
  let cause: unknown = err;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  const bounded = (code: string | undefined, message: string): FailureSummary => ({
    code: code === undefined ? undefined : boundedText(code, FAILURE_CODE_MAX),
    message: boundedText(message, FAILURE_MESSAGE_MAX),
  });
  if (cause instanceof ApplicationFailure) return bounded(cause.type ?? undefined, cause.message);
  if (cause instanceof TerminatedFailure) return bounded('WORKFLOW_TERMINATED', `the workflow was terminated: ${cause.message}`);
  if (cause instanceof TimeoutFailure) return bounded('TIMEOUT', `${cause.timeoutType} timeout: ${cause.message}`);
  return bounded(undefined, err instanceof Error ? err.message : String(err));
}
