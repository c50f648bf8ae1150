import { describe, expect, it } from 'vitest';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { demandChargeLines } from '../../domain/demand-model.ts';
import { loadProfile } from '../../domain/load.ts';
import { planViolations } from '../support/plan-check.ts';
import { byWork, HAND_TARIFF, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

// The hand tariff (UTC): off-peak 0.10 until 08:00, mid-peak 0.20 until 16:00, on-peak 0.40 after.
const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;

async function solve(request: ReturnType<typeof handRequest>) {
  const problem = problemFromRequest(request);
  const plan = await solvePlan(problem, byWork());
  expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
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
});
