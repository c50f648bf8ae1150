import { describe, expect, it } from 'vitest';
import { analyseCosts } from '../../activities/cost/analysis.ts';
import { pricePlan } from '../../activities/cost/pricing.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import { HAND_TARIFF, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1, startupEnergyKwh: 2 } as const;
const G1 = {
  id: 'G1',
  name: 'Gas boiler',
  type: 'gas_boiler',
  capacityKw: 50,
  efficiency: 0.8,
  fuelRatePerKwh: 0.09,
  startupEnergyKwh: 5,
} as const;

/** The hand day: 10 kW base load, a 310/month (10/day in March) and a 5/day fixed charge. */
function handProblem(jobs = [handJob('J1', 200, '06:00', '12:00'), handJob('J2', 100, '14:00', '18:00')]) {
  const request = handRequest(jobs, [E1, G1], { baseLoadKw: 10 });
  request.tariff = {
    ...HAND_TARIFF,
    fixedCharges: [
      { name: 'Customer charge', amount: 310, per: 'month' },
      { name: 'Meter', amount: 5, per: 'day' },
    ],
  };
  return problemFromRequest(request);
}

describe('FIFO baseline', () => {
  it('runs jobs by earliest start, each as early as possible on the first free eligible heater', () => {
    const { assignments, unscheduled } = fifoBaseline(handProblem());
    expect(unscheduled).toEqual([]);
    expect(assignments.map((a) => [a.jobId, a.equipmentId, a.startSlot, a.endSlot])).toEqual([
      ['J1', 'E1', 6, 8], // E1 and G1 can both start at 06:00; registry order picks E1
      ['J2', 'E1', 14, 15],
    ]);
  });

  it('serves priority before earliest start and waits for a busy heater', () => {
    const problem = handProblem([
      handJob('Q', 300, '06:00', '12:00', { priority: 3, allowedEquipment: ['E1'] }),
      handJob('P', 100, '08:00', '12:00', { priority: 1, allowedEquipment: ['E1'] }),
    ]);
    const { assignments } = fifoBaseline(problem);
    expect(assignments.map((a) => [a.jobId, a.startSlot, a.endSlot])).toEqual([
      ['P', 8, 9],
      ['Q', 9, 12], // 06:00-09:00 would overlap P at 08:00
    ]);
  });

  it('lists a job it cannot place, with the reason, instead of dropping it', () => {
    const problem = handProblem([
      handJob('A', 200, '06:00', '08:00', { allowedEquipment: ['E1'] }),
      handJob('B', 200, '06:00', '08:00', { allowedEquipment: ['E1'] }),
    ]);
    const { assignments, unscheduled } = fifoBaseline(problem);
    expect(assignments.map((a) => a.jobId)).toEqual(['A']);
    expect(unscheduled).toEqual([
      {
        jobId: 'B',
        reason: "G1: not in the job's allowedEquipment; every run in its window is blocked by the planned jobs: E1 busy (1 of 1 runs)",
      },
    ]);
  });
});

describe('cost arithmetic', () => {
  it('prices a plan by tariff period, fuel, start-ups, base load, demand and fixed charges', () => {
    const problem = handProblem();
    const optimised = fifoBaseline(problem).assignments.map((a) =>
      a.jobId === 'J2' ? { ...a, equipmentId: 'G1', startSlot: 15, endSlot: 17, electricKw: 0, fuelKw: 62.5 } : a,
    );
    const cost = pricePlan(problem, optimised);
    expect(cost.energyByCategory).toEqual([
      { category: 'off-peak', kwh: 200, cost: 20 }, // J1 on E1 06:00-08:00 at 0.10
      { category: 'mid-peak', kwh: 0, cost: 0 },
      { category: 'on-peak', kwh: 0, cost: 0 },
    ]);
    expect(cost.electricCost).toBeCloseTo(20, 9);
    expect(cost.fuelKwh).toBeCloseTo(125, 9); // 100 kWh thermal / 0.8
    expect(cost.fuelCost).toBeCloseTo(11.25, 9);
    expect(cost.startupKwh).toBe(7);
    expect(cost.startupCost).toBeCloseTo(2 * 0.1 + 5 * 0.09, 9); // E1 starts in off-peak, G1 burns gas
    expect(cost.baseLoadKwh).toBe(240);
    expect(cost.baseLoadCost).toBeCloseTo(8 * 10 * (0.1 + 0.2 + 0.4), 9); // 56
    // One time-of-use charge (only on-peak carries a demand rate) on its 15-min averages: base load 10 kW, nothing before in March.
    expect(cost.demandCharges).toEqual([
      expect.objectContaining({
        label: 'on-peak',
        peakKw: 10,
        floorKw: 0,
        floorSource: 'none',
        billedKw: 10,
        rate: 5,
        raisedKw: 10,
        cost: 50,
      }),
    ]);
    expect(cost.fixedCharges).toEqual([
      { name: 'Customer charge', amount: 10 },
      { name: 'Meter', amount: 5 },
    ]);
    expect(cost.peakKw).toBe(110);
    expect(cost.total).toBeCloseTo(20 + 11.25 + 0.65 + 56 + 50 + 15, 9); // 152.90
  });

  it('prices the optimised plan against the FIFO baseline with the same arithmetic', () => {
    const problem = handProblem();
    const optimised = fifoBaseline(problem).assignments.map((a) =>
      a.jobId === 'J2' ? { ...a, equipmentId: 'G1', startSlot: 14, endSlot: 16, electricKw: 0, fuelKw: 62.5 } : a,
    );
    const analysis = analyseCosts(problem, { assignments: optimised });
    // Baseline: J2 on E1 at 14:00, 100 kWh x 0.20 = 20 and a start at 2 kWh x 0.20.
    expect(analysis.baseline.total).toBeCloseTo(20 + 20 + 0.2 + 0.4 + 56 + 50 + 15, 9); // 161.60
    expect(analysis.optimized.total).toBeCloseTo(152.9, 9);
    expect(analysis.savings.amount).toBeCloseTo(8.7, 9);
    expect(analysis.savings.percent).toBeCloseTo((100 * 8.7) / 161.6, 9);
    expect(analysis.currency).toBe('USD');
  });

  it('prices like for like when the optimised plan leaves a job out: the baseline leaves it out too', () => {
    const problem = handProblem();
    const [j1] = fifoBaseline(problem).assignments;
    const analysis = analyseCosts(problem, { assignments: [j1], unscheduled: [{ jobId: 'J2', reason: 'test' }] });
    expect(analysis.excludedFromBoth).toEqual(['J2']);
    expect(analysis.baselineAssignments.map((a) => a.jobId)).toEqual(['J1']);
    expect(analysis.savings.amount).toBeCloseTo(0, 9); // the same plan for J1 on both sides
  });

  it('refuses to price an assignment the heater cannot run', () => {
    const problem = handProblem([handJob('J1', 200, '06:00', '12:00', { allowedEquipment: ['G1'] })]);
    const bogus = [{ ...fifoBaseline(problem).assignments[0], equipmentId: 'E1' }];
    expect(() => pricePlan(problem, bogus)).toThrow(/J1 to E1 is not allowed: not in the job's allowedEquipment/);
  });
});
