import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { boundedText, FAILURE_CODE_MAX, FAILURE_MESSAGE_MAX } from '../../domain/bounded-text.ts';
import type { CostStatement } from '../../domain/cost.ts';
import type { RunOutcome, RunSummaryMemo } from '../../domain/pipeline.ts';
import { DomainError } from '../../domain/errors.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { Db, Tx } from '../client.ts';
import { optimizationRuns, optimizedAssignments, productionSchedules } from '../schema.ts';

/** Also reopens a run that an operator reset in Temporal UI after it failed: its old error goes. */
export async function markRunStarted(db: Db, runId: string): Promise<void> {
  await db
    .update(optimizationRuns)
    .set({ status: 'RUNNING', startedAt: new Date(), completedAt: null, errorCode: null, errorMessage: null })
    .where(eq(optimizationRuns.runId, runId));
}

/** The run's headline figures (for the workflow's memo); the unscheduled count is jobs the optimised plan leaves out. */
export async function runSummary(db: Db, runId: string): Promise<RunSummaryMemo> {
  const [row] = await db
    .select({
      optimizedCost: optimizationRuns.optimizedCost,
      baselineCost: optimizationRuns.baselineCost,
      savings: optimizationRuns.savings,
      savingsPercent: optimizationRuns.savingsPercent,
      peakKw: optimizationRuns.peakKw,
      jobs: optimizationRuns.jobsCount,
      scheduled: sql<number>`(select count(distinct ${optimizedAssignments.jobId})::int from ${optimizedAssignments}
        where ${optimizedAssignments.runId} = ${optimizationRuns.runId} and ${optimizedAssignments.plan} = 'optimized')`,
    })
    .from(optimizationRuns)
    .where(eq(optimizationRuns.runId, runId));
  if (!row) throw new DomainError('E008', `run ${runId} not found`);
  const { scheduled, ...figures } = row;
  return { ...figures, unscheduled: figures.jobs === null ? null : figures.jobs - scheduled };
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
export async function recordRunCosts(tx: Tx, runId: string, statement: CostStatement): Promise<void> {
  // The run row keeps rounded copies for listing; the step output holds the exact figures.
  await tx
    .update(optimizationRuns)
    .set({
      baselineCost: Number(statement.baseline.totals.total),
      optimizedCost: Number(statement.optimized.totals.total),
      savings: Number(statement.savings.amount),
      savingsPercent: statement.savings.percent === null ? null : Number(statement.savings.percent),
    })
    .where(eq(optimizationRuns.runId, runId));
}

const isOpen = inArray(optimizationRuns.status, ['PENDING', 'RUNNING']);

/**
 * Closes the run row as its workflow ended (a SUCCESS also marks its schedule OPTIMIZED). Failure
 * texts are bounded and cleaned so that any error can be stored. With `onlyIfOpen`, a row that is
 * already closed is left as it is; returns whether the row changed.
 */
export async function closeRun(db: Db, runId: string, outcome: RunOutcome, { onlyIfOpen = false } = {}): Promise<boolean> {
  const values =
    outcome.status === 'FAILED'
      ? {
          status: outcome.status,
          errorCode: outcome.errorCode === undefined ? null : boundedText(outcome.errorCode, FAILURE_CODE_MAX),
          errorMessage: outcome.errorMessage === undefined ? null : boundedText(outcome.errorMessage, FAILURE_MESSAGE_MAX),
        }
      : outcome;
  return db.transaction(async (tx) => {
    const thisRun = eq(optimizationRuns.runId, runId);
    const updated = await tx
      .update(optimizationRuns)
      .set({ ...values, completedAt: new Date() })
      .where(onlyIfOpen ? and(thisRun, isOpen) : thisRun)
      .returning({ runId: optimizationRuns.runId });
    if (updated.length > 0 && outcome.status === 'SUCCESS') {
      await tx.update(productionSchedules).set({ status: 'OPTIMIZED', updatedAt: new Date() }).where(eq(productionSchedules.runId, runId));
    }
    return updated.length > 0;
  });
}

/** Runs still PENDING or RUNNING that were submitted before `createdBefore`, oldest first. */
export async function listOpenRuns(db: Db, createdBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ runId: optimizationRuns.runId })
    .from(optimizationRuns)
    .where(and(isOpen, lt(optimizationRuns.createdAt, createdBefore)))
    .orderBy(asc(optimizationRuns.createdAt))
    .limit(limit);
  return rows.map((r) => r.runId);
}

/** The tenant a run belongs to (undefined for no such run). */
export async function runTenant(db: Db, runId: string): Promise<string | undefined> {
  const [row] = await db.select({ tenantId: optimizationRuns.tenantId }).from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
  return row?.tenantId;
}
