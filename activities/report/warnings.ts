import { dec } from '../../domain/decimal.ts';
import { tariffOutOfForce } from '../../domain/tariff-validity.ts';
import { kw, percent } from './format.ts';
import type { ReportInput } from './input.ts';

export interface ReportWarning {
  severity: 'warning' | 'info';
  text: string;
}

/** Share of the contractual limit above which the peak is reported as close to it. */
export const PEAK_MARGIN = 0.9;
/** Savings below this percentage are reported as low. */
export const LOW_SAVINGS_PERCENT = 5;

/** What a reader must know before trusting the figures: jobs left out, a search cut short, a peak near its limit, a tariff out of force. */
export function reportWarnings({ plan, cost, problem }: ReportInput): ReportWarning[] {
  const out: ReportWarning[] = [];
  if (plan.unscheduled.length) {
    out.push({
      severity: 'warning',
      text: `${plan.unscheduled.length} job(s) not scheduled: ${plan.unscheduled.map((u) => u.jobId).join(', ')} (reasons listed apart).`,
    });
  }
  const { status, gap } = plan.solver;
  if (status === 'time_limit' || status === 'work_limit' || status === 'interrupted') {
    const how = status === 'work_limit' ? 'its work budget' : status === 'interrupted' ? 'an interruption' : 'its time limit';
    const bound =
      gap === null ? 'without a bound on how far from the best plan it is' : `within ${percent(gap * 100, 2)} of the best possible`;
    out.push({ severity: 'info', text: `The solver stopped at ${how}: the plan is ${bound}.` });
  }
  for (const note of plan.solver.notes) out.push({ severity: 'info', text: note });
  const outOfForce = tariffOutOfForce(problem.tariff, problem.schedule);
  if (outOfForce) out.push({ severity: 'warning', text: `The tariff is not in force on these days: ${outOfForce.message}.` });
  const limit = problem.settings.peakLimitKw;
  const peak = dec(cost.optimized.totals.peakKw);
  if (limit !== undefined && peak.greaterThanOrEqualTo(dec(limit).times(PEAK_MARGIN))) {
    out.push({ severity: 'warning', text: `The peak of ${kw(peak.toFixed())} is within 10 % of the contractual limit of ${kw(limit)}.` });
  }
  const savings = cost.savings.percent === null ? null : dec(cost.savings.percent);
  if (dec(cost.savings.amount).isNegative()) {
    out.push({ severity: 'warning', text: 'The plan costs more than first-come-first-served (see the savings by cause).' });
  } else if (savings !== null && savings.lessThan(LOW_SAVINGS_PERCENT)) {
    out.push({ severity: 'info', text: `Savings are below ${LOW_SAVINGS_PERCENT} % of the baseline.` });
  }
  if (cost.baselineUnscheduled.length) {
    const ids = cost.baselineUnscheduled.map((u) => u.jobId).join(', ');
    out.push({ severity: 'info', text: `First-come-first-served could not place ${ids}; the baseline does less work than the plan.` });
  }
  if (cost.emissions && !cost.emissions.optimized.complete) {
    out.push({ severity: 'info', text: 'CO2 leaves out fuels without an emission factor.' });
  }
  return out;
}
