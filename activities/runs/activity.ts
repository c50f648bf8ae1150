import type { Db } from '../../db/client.ts';
import { closeRun, markRunStarted } from '../../db/repositories/runs.ts';
import type { RunStatus, StepRef } from '../../domain/pipeline.ts';

/** The run row's life: started, then SUCCESS with its chain head, or FAILED / CANCELLED. */
export function runActivities(db: Db) {
  return {
    async markRunStarted({ runId }: { runId: string }): Promise<void> {
      await markRunStarted(db, runId);
    },

    /** Closes the run: SUCCESS with the chain head as output hash. */
    async completeRun({ runId, head }: { runId: string; head: StepRef }): Promise<void> {
      await closeRun(db, runId, { status: 'SUCCESS', outputHash: head.hash });
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
  };
}
