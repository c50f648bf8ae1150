import { describe, expect, it } from 'vitest';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { demandChargeLines } from '../../domain/demand-model.ts';
import { loadProfile } from '../../domain/load.ts';
import { demandChargeAdded, planViolations } from '../support/plan-check.ts';
import { byWork, HAND_TARIFF, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

// The hand tariff (UTC): off-peak 0.10 until 08:00, mid-peak 0.20 until 16:00, on-peak 0.40 after.
const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;

async function solve(request: ReturnType<typeof handRequest>) {
  const problem = problemFromRequest(request);
  const plan = await solvePlan(problem, byWork());
  expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
  // The cost agent's exact ledger bills what the checker recomputes from the instants.
  const added = demandChargeAdded(problem, plan.assignments);
  expect(Number(pricePlanExact(problem, plan.assignments).totals.demandCharge)).toBeCloseTo(added, 6);
  return { plan, problem, lines: demandChargeLines(problem.demand, loadProfile(problem, plan.assignments)) };
}

describe('the optimiser bills demand as the tariff does', () => {
  it('limits and bills a 5-min 6 kW run on 5-min slots as its 2 kW quarter-hour average', async () => {
    const small = { ...E1, id: 'E6', capacityKw: 6 };
    const request = handRequest([handJob('S', 0.5, '16:00', '17:00')], [small], { slotMinutes: 5, peakLimitKw: 3 });
    const { plan, lines } = await solve(request);
    expect(plan.unscheduled).toEqual([]);
    expect(plan.assignments[0]).toMatchObject({ electricKw: 6, endSlot: plan.assignments[0].startSlot + 1 });
    // 0.5 kWh at 0.40 and 2 kW of on-peak demand at 5/kW.
    expect(plan.solver.objective).toBeCloseTo(0.2 + 2 * 5, 9);
    expect(lines).toMatchObject([{ label: 'on-peak', peakKw: 2, cost: 10 }]);
  });

  it('bills one demand rate written on every period once, as a facility charge, not once per category', async () => {
    const flat = { ...HAND_TARIFF, periods: HAND_TARIFF.periods.map((p) => ({ ...p, demandRate: 5 })) };
    const request = { ...handRequest([handJob('A', 100, '00:00', '23:00')], [E1], { baseLoadKw: 50 }), tariff: flat };
    const { plan, lines } = await solve(request);
    // Off-peak energy (100 kWh × 0.10) and one peak of 150 kW at 5/kW; per category it was 150, 50 and 50 kW billed.
    expect(plan.solver.objective).toBeCloseTo(10 + 150 * 5, 9);
    expect(lines.map((l) => [l.label, l.peakKw, l.cost])).toEqual([['facility', 150, 750]]);
  });

  it('pays only for raising the billing period’s metered peak: under the floor the cheap hour wins, above it the plan spreads', async () => {
    // Two 100 kW heaters, two 100 kWh jobs between 07:00 (off-peak 0.10) and 09:00 (mid-peak 0.20), base load 50 kW,
    // a facility charge of 10/kW on 15-min averages.
    const tariff = {
      ...HAND_TARIFF,
      periods: HAND_TARIFF.periods.map(({ demandRate: _, ...p }) => p),
      demand: { charges: [{ kind: 'facility' as const, rate: 10 }] },
    };
    const jobs = [handJob('A', 100, '07:00', '09:00'), handJob('B', 100, '07:00', '09:00')];
    const dayWith = (facilityKw?: number) => ({
      ...handRequest(jobs, [E1, { ...E1, id: 'E2', name: 'Electric 2' }], {
        baseLoadKw: 50,
        ...(facilityKw === undefined ? {} : { billing: { meteredPeak: { asOf: '2026-03-01', facilityKw } } }),
      }),
      tariff,
    });
    // No peak known: both at 07:00 would be 20 + 250 × 10; one at 08:00 is 10 + 20 + 150 × 10 = 1,530.
    const fresh = await solve(dayWith());
    expect(fresh.plan.solver.objective).toBeCloseTo(1530, 9);
    expect(fresh.lines).toMatchObject([{ label: 'facility', peakKw: 150, floorKw: 0, floorSource: 'none', cost: 1500 }]);
    // Metered 250 kW so far this month: both at 07:00 add nothing to the bill, energy 20.
    const under = await solve(dayWith(250));
    expect(under.plan.solver.objective).toBeCloseTo(20, 9);
    expect(under.lines).toMatchObject([{ peakKw: 250, floorKw: 250, floorSource: 'metered', raisedKw: 0, cost: 0, periodCharge: 2500 }]);
    // Metered 200 kW: together would add 50 × 10 = 500 to save 10 of energy, so they spread again (energy 30, nothing added).
    const between = await solve(dayWith(200));
    expect(between.plan.solver.objective).toBeCloseTo(30, 9);
    expect(between.lines).toMatchObject([{ peakKw: 150, floorKw: 200, billedKw: 200, cost: 0, periodCharge: 2000 }]);
  });
});
