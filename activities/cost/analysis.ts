import type { CostAnalysis } from '../../domain/cost.ts';
import type { Assignment } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import { pricePlan } from './pricing.ts';

/** Prices the optimised plan and the FIFO baseline with the same arithmetic, and the difference. */
export function analyseCosts(problem: PlanningProblem, optimized: { assignments: Assignment[] }): CostAnalysis {
  const baselinePlan = fifoBaseline(problem);
  const optimizedCost = pricePlan(problem, optimized.assignments);
  const baselineCost = pricePlan(problem, baselinePlan.assignments);
  const amount = baselineCost.total - optimizedCost.total;
  return {
    currency: problem.tariff.currency,
    optimized: optimizedCost,
    baseline: baselineCost,
    baselineAssignments: baselinePlan.assignments,
    baselineUnscheduled: baselinePlan.unscheduled,
    savings: { amount, percent: baselineCost.total > 0 ? (100 * amount) / baselineCost.total : 0 },
  };
}
