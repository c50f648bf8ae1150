import { readFileSync } from 'node:fs';
import { planObjective } from '../../activities/optimize/construct.ts';
import { buildMilp, columnFinder } from '../../activities/optimize/milp.ts';
import { describe, expect, it } from 'vitest';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import { fifoBaseline } from '../../domain/baseline.ts';
import { PlanLedgerSchema, type PlanLedger } from '../../domain/cost.ts';
import { dec, mul, sumOf, type Dec } from '../../domain/decimal.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import { handJob, handRequest, problemFromRequest } from '../support/problem.ts';
import { E1, handProblem } from './heaters.ts';

/** J1 on E1 06:00-08:00 (off-peak), J2 on the gas boiler 15:00-17:00. */
const handPlan = [
  { jobId: 'J1', equipmentId: 'E1', startSlot: 6, endSlot: 8 },
  { jobId: 'J2', equipmentId: 'G1', startSlot: 15, endSlot: 17 },
];

describe('the exact ledger', () => {
  it('prices each run from its inputs: electricity per rate, fuel, one start-up (per-job costs by hand)', () => {
    const ledger = pricePlanExact(handProblem(), handPlan);
    expect(ledger.runs).toEqual([
      {
        jobId: 'J1',
        equipmentId: 'E1',
        fuel: 'electricity',
        startSlot: 6,
        endSlot: 8,
        heatKwh: '200',
        // 2 slots of 100 kWh at efficiency 1, both off-peak at 0.10: 200 × 0.10 = 20
        electricity: [{ from: '2026-03-02T06:00', slots: 2, category: 'off-peak', efficiency: '1', kwh: '200', rate: '0.1', cost: '20' }],
        fuelUse: null,
        startup: { kwh: '2', price: '0.1', cost: '0.2' }, // 2 kWh at the first slot's rate
        cost: '20.2',
      },
      {
        jobId: 'J2',
        equipmentId: 'G1',
        fuel: 'natural_gas',
        startSlot: 15,
        endSlot: 17,
        heatKwh: '100',
        electricity: [],
        fuelUse: { kwh: '125', efficiency: '0.8', price: '0.09', cost: '11.25' }, // 100 / 0.8 = 125 kWh gas × 0.09
        startup: { kwh: '5', price: '0.09', cost: '0.45' },
        cost: '11.7',
      },
    ]);
  });

  it('adds base load, demand and fixed charges, each with its inputs, into totals that are exact decimals', () => {
    const ledger = pricePlanExact(handProblem(), handPlan);
    expect(ledger.baseLoad).toEqual({
      kw: '10',
      lines: [
        { category: 'off-peak', rate: '0.1', hours: '8', kwh: '80', cost: '8' },
        { category: 'mid-peak', rate: '0.2', hours: '8', kwh: '80', cost: '16' },
        { category: 'on-peak', rate: '0.4', hours: '8', kwh: '80', cost: '32' },
      ],
    });
    // Only on-peak carries a demand rate: one time-of-use charge on its 15-min averages, nothing earlier in March.
    expect(ledger.demand).toEqual([
      {
        key: '2026-03-01|on-peak|',
        label: 'on-peak',
        billingPeriod: { start: '2026-03-01', end: '2026-04-01' },
        peakKw: '10',
        peakAt: '2026-03-02T16:00',
        floorKw: '0',
        floorSource: 'none',
        floorDetail: 'no peak known before 2026-03-02 in the billing period',
        billedKw: '10',
        raisedKw: '10',
        rate: '5',
        cost: '50',
        periodCharge: '50',
      },
    ]);
    expect(ledger.fixed).toEqual([
      { name: 'Customer charge', per: 'month', amount: '310', months: [{ month: '2026-03', days: 1, daysInMonth: 31 }], cost: '10' },
      { name: 'Meter', per: 'day', amount: '5', months: [{ month: '2026-03', days: 1, daysInMonth: 31 }], cost: '5' },
    ]);
    expect(ledger.totals).toEqual({
      electricKwh: '200',
      electricCost: '20',
      fuelKwh: '125',
      fuelCost: '11.25',
      startupKwh: '7',
      startupCost: '0.65',
      standbyKwh: '0',
      standbyCost: '0',
      baseLoadKwh: '240',
      baseLoadCost: '56',
      demandCharge: '50',
      fixedCharge: '15',
      peakKw: '110',
      total: '152.9', // 20 + 11.25 + 0.65 + 56 + 50 + 15, not 152.89999999999998
    });
    expect(ledger.loadProfileKw.slice(5, 9)).toEqual(['10', '110', '110', '10']);
  });

  it('sums cost per heater and energy by period category and by fuel', () => {
    const ledger = pricePlanExact(handProblem(), handPlan);
    expect(ledger.byHeater).toEqual([
      {
        equipmentId: 'E1',
        fuel: 'electricity',
        runs: 1,
        hours: '2',
        heatKwh: '200',
        inputKwh: '202',
        energyCost: '20',
        startupCost: '0.2',
        cost: '20.2',
      },
      {
        equipmentId: 'G1',
        fuel: 'natural_gas',
        runs: 1,
        hours: '2',
        heatKwh: '100',
        inputKwh: '130',
        energyCost: '11.25',
        startupCost: '0.45',
        cost: '11.7',
      },
    ]);
    expect(ledger.energyByCategory).toEqual([
      { category: 'off-peak', kwh: '200', cost: '20' },
      { category: 'mid-peak', kwh: '0', cost: '0' },
      { category: 'on-peak', kwh: '0', cost: '0' },
    ]);
    expect(ledger.byFuel).toEqual([
      { fuel: 'electricity', kwh: '202' },
      { fuel: 'natural_gas', kwh: '130' },
    ]);
  });

  it("splits a heat pump's run where its COP changes (50 kWh heat per slot: COP 3, then COP 2 for two slots)", () => {
    const pump = {
      id: 'HP',
      name: 'Heat pump',
      type: 'heat_pump' as const,
      capacityKw: 50,
      efficiency: 3,
      efficiencyWindows: [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T12:00:00Z', efficiency: 2 }],
    };
    const problem = handProblem([handJob('H', 150, '09:00', '12:00')], [pump]);
    const [run] = pricePlanExact(problem, [{ jobId: 'H', equipmentId: 'HP', startSlot: 9, endSlot: 12 }]).runs;
    expect(run.electricity.map((l) => [l.from, l.slots, l.efficiency, dec(l.kwh).toFixed(10), dec(l.cost).toFixed(10)])).toEqual([
      ['2026-03-02T09:00', 1, '3', '16.6666666667', '3.3333333333'], // 50 / 3 kWh at 0.20
      ['2026-03-02T10:00', 2, '2', '50.0000000000', '10.0000000000'], // 2 × 50 / 2 kWh at 0.20
    ]);
    expect(dec(run.cost).toFixed(10)).toBe('13.3333333333');
  });

  it('bills only what a plan raises the period above its floor (incumbent peak or ratchet share), and names the floor', () => {
    const request = handRequest([handJob('J1', 200, '06:00', '12:00')], [E1], { incumbentPeakKw: { 'on-peak': 150 } });
    const onPeak = (r: RunRequestInput, startSlot = 16) => {
      const demand = pricePlanExact(problemFromRequest(r), [{ jobId: 'J1', equipmentId: 'E1', startSlot, endSlot: startSlot + 2 }]).demand;
      expect(demand).toHaveLength(1); // the tariff's one demand rate, on-peak
      return demand[0];
    };
    // 100 kW on-peak under a 150 kW floor: the period bills 150 × 5 whatever the plan does, the plan adds 0.
    expect(onPeak(request)).toMatchObject({ peakKw: '100', floorKw: '150', floorSource: 'settings.incumbentPeakKw', billedKw: '150' });
    expect(onPeak(request)).toMatchObject({ raisedKw: '0', rate: '5', cost: '0', periodCharge: '750' });
    const ratchet = handRequest([handJob('J1', 200, '06:00', '12:00')], [E1], { demandRatchet: { percent: 75, peakKw: 300 } });
    expect(onPeak(ratchet)).toMatchObject({ peakKw: '100', floorKw: '225', billedKw: '225', cost: '0', periodCharge: '1125' });
    expect(onPeak(ratchet).floorDetail).toBe('no peak known before 2026-03-02 in the billing period; ratchet 75 % of 300 kW = 225 kW');
    // Above a 60 kW floor the plan pays the 40 kW it adds: 40 × 5 = 200 (the period's charge 100 × 5 = 500).
    const low = handRequest([handJob('J1', 200, '06:00', '12:00')], [E1], { incumbentPeakKw: { 'on-peak': 60 } });
    expect(onPeak(low)).toMatchObject({ billedKw: '100', raisedKw: '40', cost: '200', periodCharge: '500' });
  });

  it('refuses runs it cannot price, naming the job', () => {
    const problem = handProblem([handJob('J1', 200, '06:00', '12:00', { allowedEquipment: ['G1'] })]);
    expect(() => pricePlanExact(problem, [{ jobId: 'J1', equipmentId: 'E1', startSlot: 6, endSlot: 8 }])).toThrow(
      /J1 to E1 is not allowed: not in the job's allowedEquipment/,
    );
    expect(() => pricePlanExact(problem, [{ jobId: 'J1', equipmentId: 'G1', startSlot: 23, endSlot: 27 }])).toThrow(
      /J1 runs over slots 23-27, outside the grid of 24/,
    );
    expect(() => pricePlanExact(problem, [{ jobId: 'NOPE', equipmentId: 'G1', startSlot: 0, endSlot: 4 }])).toThrow(/unknown job NOPE/);
  });
});

/** Recomputes every total of a ledger from its lines, and each line from its inputs (products held to 10 places). */
function audit(ledger: PlanLedger) {
  const sum = (xs: (string | null | undefined)[]) => sumOf(xs.filter((x): x is string => x != null).map((x) => dec(x)));
  const eq = (a: Dec, b: string) => expect(a.toFixed()).toBe(dec(b).toFixed());
  for (const r of ledger.runs) {
    for (const l of r.electricity) eq(mul(l.kwh, l.rate), l.cost);
    if (r.fuelUse) eq(mul(r.fuelUse.kwh, r.fuelUse.price), r.fuelUse.cost);
    eq(mul(r.startup.kwh, r.startup.price), r.startup.cost);
    eq(sum([...r.electricity.map((l) => l.cost), r.fuelUse?.cost, r.startup.cost, r.standby?.cost]), r.cost);
  }
  for (const l of ledger.baseLoad.lines) eq(mul(mul(ledger.baseLoad.kw, l.hours), l.rate), l.cost);
  for (const d of ledger.demand) {
    eq(dec(d.billedKw).minus(d.floorKw), d.raisedKw);
    eq(mul(d.raisedKw, d.rate), d.cost);
    eq(mul(d.billedKw, d.rate), d.periodCharge);
  }
  const t = ledger.totals;
  eq(sum(ledger.runs.flatMap((r) => r.electricity.map((l) => l.cost))), t.electricCost);
  eq(sum(ledger.runs.map((r) => r.fuelUse?.cost)), t.fuelCost);
  eq(sum(ledger.runs.map((r) => r.startup.cost)), t.startupCost);
  eq(sum(ledger.runs.map((r) => r.standby?.cost)), t.standbyCost);
  eq(sum(ledger.byHeater.map((h) => h.cost)), sum([t.electricCost, t.fuelCost, t.startupCost, t.standbyCost]).toFixed());
  eq(sum(ledger.energyByCategory.map((c) => c.cost)), t.electricCost);
  eq(sum([t.electricCost, t.fuelCost, t.startupCost, t.standbyCost, t.baseLoadCost, t.demandCharge, t.fixedCharge]), t.total);
}

describe('the example plant day', () => {
  const request = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8')) as RunRequestInput;
  const problem = problemFromRequest(request);
  const { assignments } = fifoBaseline(problem);
  const ledger = pricePlanExact(problem, assignments);

  it('gives a ledger whose every total recomputes from its lines and every line from its inputs', () => {
    expect(PlanLedgerSchema.parse(ledger)).toEqual(ledger);
    expect(ledger.runs).toHaveLength(assignments.length);
    audit(ledger);
  });

  it("agrees with the solver's objective of the plan (the bill less base load and fixed charges), start-ups from the heaters' state", () => {
    // The fixture was solved when every run was a cold start: its stored objective counts 2.575 more start-up cost.
    const plan = JSON.parse(readFileSync(new URL('../report/plant-day.plan.json', import.meta.url), 'utf8')) as OptimizedSchedule;
    const { totals } = pricePlanExact(problem, plan.assignments);
    const objectiveTerms = dec(totals.total).minus(totals.baseLoadCost).minus(totals.fixedCharge);
    const { milp, context } = buildMilp(problem);
    const columnOf = columnFinder(milp);
    const jobIndex = new Map(problem.schedule.jobs.map((j, i) => [j.id, i]));
    const chosen = problem.schedule.jobs.map(() => -1);
    for (const a of plan.assignments)
      chosen[jobIndex.get(a.jobId)!] = columnOf(jobIndex.get(a.jobId)!, a.equipmentId, a.startSlot, a.endSlot - a.startSlot)!;
    expect(Number(objectiveTerms)).toBeCloseTo(planObjective(problem, context, milp, chosen), 6);
    expect(plan.solver.objective! - Number(objectiveTerms)).toBeCloseTo(2.575, 6);
  });
});
