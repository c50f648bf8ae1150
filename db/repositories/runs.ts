import { eq } from 'drizzle-orm';
import type { CostAnalysis } from '../../domain/cost.ts';
import type { RunStatus } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { Db, Tx } from '../client.ts';
import { optimizationRuns, productionSchedules } from '../schema.ts';

export async function markRunStarted(db: Db, runId: string): Promise<void> {
  await db.update(optimizationRuns).set({ status: 'RUNNING', startedAt: new Date() }).where(eq(optimizationRuns.runId, runId));
}

/** What intake learnt about the run: its schedule, site, size and input hash. */
export async function recordRunIntake(
  tx: Tx,
  runId: string,
  intake: { scheduleId: string; siteId: string; jobsCount: number; inputHash: string },
): Promise<void> {
  await tx.update(optimizationRuns).set(intake).where(eq(optimizationRuns.runId, runId));
}

/** The solver's figures for the run's optimised plan. */
export async function recordRunSolve(tx: Tx, runId: string, plan: OptimizedSchedule, solverSeconds: number): Promise<void> {
  await tx
    .update(optimizationRuns)
    .set({
      solverType: 'highs',
      solverStatus: plan.solver.status,
      solverTimeSeconds: solverSeconds,
      objectiveValue: plan.solver.objective,
      mipGap: plan.solver.gap,
      assignmentsCount: plan.assignments.length,
      peakKw: plan.peakKw,
    })
    .where(eq(optimizationRuns.runId, runId));
}

/** The optimised and baseline totals and the savings. */
export async function recordRunCosts(tx: Tx, runId: string, analysis: CostAnalysis): Promise<void> {
  await tx
    .update(optimizationRuns)
    .set({
      baselineCost: analysis.baseline.total,
      optimizedCost: analysis.optimized.total,
      savings: analysis.savings.amount,
      savingsPercent: analysis.savings.percent,
    })
    .where(eq(optimizationRuns.runId, runId));
}

/** Closes the run: SUCCESS with the chain head as output hash, its schedule OPTIMIZED. */
export async function completeRun(db: Db, runId: string, outputHash: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(optimizationRuns)
      .set({ status: 'SUCCESS', outputHash, completedAt: new Date() })
      .where(eq(optimizationRuns.runId, runId));
    await tx.update(productionSchedules).set({ status: 'OPTIMIZED', updatedAt: new Date() }).where(eq(productionSchedules.runId, runId));
  });
}

/** Closes the run as FAILED (with the error) or CANCELLED. */
export async function endRun(
  db: Db,
  runId: string,
  outcome: { status: Extract<RunStatus, 'FAILED' | 'CANCELLED'>; errorCode?: string; errorMessage?: string },
): Promise<void> {
  await db
    .update(optimizationRuns)
    .set({
      status: outcome.status,
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage ?? null,
      completedAt: new Date(),
    })
    .where(eq(optimizationRuns.runId, runId));
}
