import type { CostAnalysis } from '../../domain/cost.ts';
import type { Assignment, UnscheduledJob } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import { pricePlan } from './pricing.ts';

/**
 * Prices the optimised plan and the FIFO baseline with the same arithmetic, and the difference.
 * Jobs the optimised plan could not place are left out of the baseline too, so both price the same work.
 */
export function analyseCosts(
  problem: PlanningProblem,
  optimized: { assignments: Assignment[]; unscheduled?: UnscheduledJob[] },
): CostAnalysis {
  const leftOut = new Set((optimized.unscheduled ?? []).map((u) => u.jobId));
  const sameWork = leftOut.size
    ? { ...problem, schedule: { ...problem.schedule, jobs: problem.schedule.jobs.filter((j) => !leftOut.has(j.id)) } }
    : problem;
  const baselinePlan = fifoBaseline(sameWork);
  const optimizedCost = pricePlan(problem, optimized.assignments);
  const baselineCost = pricePlan(problem, baselinePlan.assignments);
  const amount = baselineCost.total - optimizedCost.total;
  return {
    currency: problem.tariff.currency,
    optimized: optimizedCost,
    baseline: baselineCost,
    baselineAssignments: baselinePlan.assignments,
    baselineUnscheduled: baselinePlan.unscheduled,
    excludedFromBoth: [...leftOut],
    savings: { amount, percent: baselineCost.total > 0 ? (100 * amount) / baselineCost.total : 0 },
  };
}
