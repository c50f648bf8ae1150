import type { Db } from '../../db/client.ts';
import { insertAssignments } from '../../db/repositories/assignments.ts';
import { recordRunCosts } from '../../db/repositories/runs.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import { runStep } from '../run-step.ts';
import { costStatement } from './statement.ts';

export function costActivities(db: Db) {
  return {
    /** Agent 5: prices the optimised plan and the FIFO baseline line by line, splits the savings by cause. */
    async calculateCost({ runId, optimize, ...refs }: { runId: string; optimize: StepRef } & ProblemRefs): Promise<StepRef> {
      return runStep(db, {
        runId,
        step: 'cost',
        parents: [optimize.hash],
        load: async () => ({
          problem: await loadProblem(db, runId, refs),
          plan: await loadStepOutput<OptimizedSchedule>(db, runId, optimize),
        }),
        compute: ({ problem, plan }) => costStatement(problem, plan),
        tenant: ({ problem }) => problem.schedule.tenant,
        record: async (tx, { input: { problem }, output: statement, hash }) => {
          const tenantId = problem.schedule.tenant;
          const assignments = statement.baselineAssignments;
          await insertAssignments(tx, { runId, tenantId, plan: 'baseline', assignments, slots: problem.slots, hash });
          await recordRunCosts(tx, runId, statement);
        },
      });
    },
  };
}
