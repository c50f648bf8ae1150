import type { CostStatement } from '../../domain/cost.ts';
import { dec, stored } from '../../domain/decimal.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import type { UnscheduledJob } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { projectYear } from './appraisal.ts';
import { emissionsOf } from './emissions.ts';
import { pricePlanExact, type PlacedRun } from './ledger.ts';
import { splitSavings } from './savings.ts';

/**
 * The cost agent's statement: the optimised plan and the FIFO baseline priced line by line with
 * the same exact arithmetic, the savings split by cause, CO2 when factors are given, and the
 * annual projection with the investment appraisal. Jobs the optimised plan could not place are
 * left out of the baseline too, so both price the same work.
 */
export function costStatement(
  problem: PlanningProblem,
  optimized: { assignments: PlacedRun[]; unscheduled?: UnscheduledJob[] },
): CostStatement {
  const leftOut = new Set((optimized.unscheduled ?? []).map((u) => u.jobId));
  const sameWork = leftOut.size
    ? { ...problem, schedule: { ...problem.schedule, jobs: problem.schedule.jobs.filter((j) => !leftOut.has(j.id)) } }
    : problem;
  const baselinePlan = fifoBaseline(sameWork);
  const optimizedLedger = pricePlanExact(problem, optimized.assignments);
  const baselineLedger = pricePlanExact(problem, baselinePlan.assignments);
  const factors = problem.settings.emissions;
  const emissions = factors && {
    optimized: emissionsOf(optimizedLedger, factors),
    baseline: emissionsOf(baselineLedger, factors),
  };
  return {
    currency: problem.tariff.currency,
    optimized: optimizedLedger,
    baseline: baselineLedger,
    baselineAssignments: baselinePlan.assignments,
    baselineUnscheduled: baselinePlan.unscheduled,
    excludedFromBoth: [...leftOut],
    savings: splitSavings(problem, baselineLedger, optimizedLedger),
    emissions: emissions ? { ...emissions, savedKgCo2: stored(dec(emissions.baseline.kgCo2).minus(emissions.optimized.kgCo2)) } : null,
    projection: projectYear(
      {
        baseline: dec(baselineLedger.totals.total),
        optimized: dec(optimizedLedger.totals.total),
        horizonDays: problem.schedule.horizonDays,
      },
      problem.settings.economics,
    ),
  };
}
