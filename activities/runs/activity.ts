import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { optimizationRuns, productionSchedules } from '../../db/schema.ts';
import type { RunStatus, StepRef } from '../../domain/pipeline.ts';

export function runActivities(db: Db) {
  return {
    async markRunStarted({ runId }: { runId: string }): Promise<void> {
      await db.update(optimizationRuns).set({ status: 'RUNNING', startedAt: new Date() }).where(eq(optimizationRuns.runId, runId));
    },

    /** Closes the run: SUCCESS with the chain head as output hash. */
    async completeRun({ runId, head }: { runId: string; head: StepRef }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(optimizationRuns)
          .set({ status: 'SUCCESS', outputHash: head.hash, completedAt: new Date() })
          .where(eq(optimizationRuns.runId, runId));
        await tx
          .update(productionSchedules)
          .set({ status: 'OPTIMIZED', updatedAt: new Date() })
          .where(eq(productionSchedules.runId, runId));
      });
    },

    /** Closes the run as FAILED (with the error) or CANCELLED. */
    async endRun({
      runId,
      status,
      errorCode,
      errorMessage,
    }: {
      runId: string;
      status: Extract<RunStatus, 'FAILED' | 'CANCELLED'>;
      errorCode?: string;
      errorMessage?: string;
    }): Promise<void> {
      await db
        .update(optimizationRuns)
        .set({ status, errorCode: errorCode ?? null, errorMessage: errorMessage ?? null, completedAt: new Date() })
        .where(eq(optimizationRuns.runId, runId));
    },
  };
}
