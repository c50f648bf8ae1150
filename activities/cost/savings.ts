import type { PlanLedger, RunCost, Savings } from '../../domain/cost.ts';
import { dec, type Dec, div, stored, sumOf } from '../../domain/decimal.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { ledgerFor, priceRun } from './ledger.ts';

/**
 * How the savings split by cause: the plan is priced step by step, each step changing one thing,
 * and each cause is the difference of two neighbouring steps, so the parts add up to the total.
 *   1. baseline: the FIFO plan (E0 heating energy, S0 start-ups, D0 demand charges);
 *   2. the baseline's heaters at the optimised starts (Eshift): time_of_use_shift = E0 − Eshift;
 *   3. the chosen heaters at the chosen starts (E1): equipment_choice = Eshift − E1;
 *   4. the chosen peaks: peak_shaving = D0 − D1; start-ups priced apart: startups = S0 − S1.
 * Base load and fixed charges are the same in both plans. A job only one plan places (the baseline
 * could not) is its own cause, unmatched_work = its cost in the baseline − its cost in the optimised plan.
 * The split depends on this order (another order splits differently); the total does not.
 */
export const SAVINGS_METHOD: Record<Savings['byCause'][number]['cause'], string> = {
  time_of_use_shift:
    'heating energy on the baseline heaters at the baseline starts − the same heaters at the optimised starts (E0 − Eshift)',
  equipment_choice:
    'heating energy on the baseline heaters at the optimised starts − the chosen heaters at the optimised starts (Eshift − E1)',
  peak_shaving: 'baseline demand charges − optimised demand charges (D0 − D1)',
  startups: 'baseline start-up and hot-standby cost − optimised start-up and hot-standby cost (S0 − S1)',
  unmatched_work: 'cost of the runs only the baseline has − cost of the runs only the optimised plan has',
};

/** What the run's heater state costs: its cold start and the hot standby before it. */
const stateCostOf = (r: RunCost) => dec(r.startup.cost).plus(r.standby?.cost ?? 0);
const energyOf = (r: RunCost) => dec(r.cost).minus(stateCostOf(r));
const energy = (runs: RunCost[]) => sumOf(runs.map(energyOf));
const startups = (runs: RunCost[]) => sumOf(runs.map(stateCostOf));

export function splitSavings(problem: PlanningProblem, baseline: PlanLedger, optimized: PlanLedger): Savings {
  const inBaseline = new Map(baseline.runs.map((r) => [r.jobId, r]));
  const inOptimized = new Map(optimized.runs.map((r) => [r.jobId, r]));
  const matched0 = baseline.runs.filter((r) => inOptimized.has(r.jobId));
  const matched1 = optimized.runs.filter((r) => inBaseline.has(r.jobId));
  const only0 = baseline.runs.filter((r) => !inOptimized.has(r.jobId));
  const only1 = optimized.runs.filter((r) => !inBaseline.has(r.jobId));
  const shifted = shiftedRuns(problem, matched1, inBaseline);
  const e0 = energy(matched0);
  const eShift = sumOf(shifted.map((s) => dec(s.energyCost)));
  const e1 = energy(matched1);
  const d0 = dec(baseline.totals.demandCharge);
  const d1 = dec(optimized.totals.demandCharge);
  const s0 = startups(matched0);
  const s1 = startups(matched1);
  const u0 = energy(only0).plus(startups(only0));
  const u1 = energy(only1).plus(startups(only1));
  const parts: [Savings['byCause'][number]['cause'], Dec, Record<string, Dec>][] = [
    ['time_of_use_shift', e0.minus(eShift), { E0: e0, Eshift: eShift }],
    ['equipment_choice', eShift.minus(e1), { Eshift: eShift, E1: e1 }],
    ['peak_shaving', d0.minus(d1), { D0: d0, D1: d1 }],
    ['startups', s0.minus(s1), { S0: s0, S1: s1 }],
  ];
  if (only0.length || only1.length) parts.push(['unmatched_work', u0.minus(u1), { baselineOnly: u0, optimizedOnly: u1 }]);
  const total0 = dec(baseline.totals.total);
  const amount = total0.minus(optimized.totals.total);
  assertPartsAddUp(amount, parts, baseline, optimized);
  return {
    amount: stored(amount),
    percent: total0.isZero() ? null : stored(div(amount.times(100), total0)),
    byCause: parts.map(([cause, value, inputs]) => ({
      cause,
      amount: stored(value),
      method: SAVINGS_METHOD[cause],
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, stored(v)])),
    })),
    shifted,
  };
}

/**
 * Step 2 of the split: each job on its baseline heater, for its baseline run length, from the
 * optimised start (moved earlier where that run would pass the end of the horizon).
 */
function shiftedRuns(problem: PlanningProblem, matched: RunCost[], inBaseline: Map<string, RunCost>): Savings['shifted'] {
  const ledger = ledgerFor(problem);
  return matched.map((r) => {
    const base = inBaseline.get(r.jobId)!;
    const length = base.endSlot - base.startSlot;
    const startSlot = Math.min(r.startSlot, problem.grid.slotCount - length);
    const { run } = priceRun(ledger, { jobId: r.jobId, equipmentId: base.equipmentId, startSlot, endSlot: startSlot + length });
    return { jobId: r.jobId, equipmentId: base.equipmentId, startSlot, energyCost: stored(energyOf(run)) };
  });
}

/** Base load and fixed charges must match (same site, same horizon), so the causes sum to the total exactly. */
function assertPartsAddUp(amount: Dec, parts: [string, Dec, unknown][], baseline: PlanLedger, optimized: PlanLedger) {
  const same = (k: 'baseLoadCost' | 'fixedCharge') => dec(baseline.totals[k]).equals(optimized.totals[k]);
  const sum = sumOf(parts.map(([, v]) => v));
  if (!same('baseLoadCost') || !same('fixedCharge') || !sum.equals(amount)) {
    throw new Error(
      `savings by cause add up to ${stored(sum)}, not to the total ${stored(amount)}: the plans were priced on different sites`,
    );
  }
}
