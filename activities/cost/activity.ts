import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { optimizationRuns } from '../../db/schema.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { insertAssignments } from '../assignments.ts';
import { withDomainFailures } from '../failures.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { findStep, loadStepOutput, recordStep } from '../steps.ts';
import { analyseCosts } from './analysis.ts';

export function costActivities(db: Db) {
  return {
    /** Agent 5: prices the optimised plan and the FIFO baseline with the same arithmetic. */
    async calculateCost({ runId, optimize, ...refs }: { runId: string; optimize: StepRef } & ProblemRefs): Promise<StepRef> {
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'cost');
        if (done) return done;
        const problem = await loadProblem(db, runId, refs);
        const plan = await loadStepOutput<OptimizedSchedule>(db, runId, optimize);
        const analysis = analyseCosts(problem, plan);
        const tenantId = problem.schedule.tenant;
        return recordStep(db, { runId, tenantId, step: 'cost', parents: [optimize.hash], output: analysis }, async (tx, hash) => {
          await insertAssignments(tx, {
            runId,
            tenantId,
            plan: 'baseline',
            assignments: analysis.baselineAssignments,
            slots: problem.slots,
            hash,
          });
          await tx
            .update(optimizationRuns)
            .set({
              baselineCost: analysis.baseline.total,
              optimizedCost: analysis.optimized.total,
              savings: analysis.savings.amount,
              savingsPercent: analysis.savings.percent,
            })
            .where(eq(optimizationRuns.runId, runId));
        });
      });
    },
  };
}
