import { describe, expect, it } from 'vitest';
import { constructPlan } from '../../activities/optimize/construct.ts';
import { buildMilp } from '../../activities/optimize/milp.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { generateRequest } from '../../examples/generate.ts';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import { demandChargeLines } from '../../domain/demand-model.ts';
import { DomainError } from '../../domain/errors.ts';
import { loadProfile } from '../../domain/load.ts';
import type { Assignment } from '../../domain/plan.ts';
import { byWork, handJob, handRequest, problemFromRequest } from '../support/problem.ts';
import { planViolations } from '../support/plan-check.ts';

// Hand tariff (UTC, 60-min slots): off-peak 0.10 until 08:00, mid-peak 0.20 until 16:00, on-peak 0.40 + 5/kW demand.
const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
const E2 = { ...E1, id: 'E2', name: 'Electric 2' } as const;
const G1 = { id: 'G1', name: 'Gas boiler', type: 'gas_boiler', capacityKw: 50, efficiency: 0.8, fuelRatePerKwh: 0.09 } as const;
const options = byWork();
type Request = ReturnType<typeof handRequest>;

const hours = (a: Assignment) => [new Date(a.start).getUTCHours(), new Date(a.end).getUTCHours() || 24];

async function solve(request: Request) {
  const problem = problemFromRequest(request);
  const plan = await solvePlan(problem, options);
  expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
  return { plan, problem, at: Object.fromEntries(plan.assignments.map((a) => [a.jobId, a])) };
}

describe('heater operating rules', () => {
  it('runs two jobs back to back despite a 60-min min off time: the heater never goes off (20, both off-peak)', async () => {
    const jobs = [handJob('A', 100, '06:00', '10:00'), handJob('B', 100, '06:00', '10:00')];
    const { plan, at } = await solve(handRequest(jobs, [{ ...E1, minOffTimeMinutes: 60 }]));
    expect(plan.solver.objective).toBeCloseTo(20, 9);
    expect([hours(at.A), hours(at.B)].sort()).toEqual([
      [6, 7],
      [7, 8],
    ]);
  });

  it('counts starts, not jobs, against max starts per day: back to back both stay on E1 (20); apart, one moves to gas (21.25)', async () => {
    const together = [handJob('A', 100, '00:00', '08:00'), handJob('B', 100, '00:00', '08:00')];
    const { plan, at } = await solve(handRequest(together, [{ ...E1, maxStartsPerDay: 1 }, G1]));
    expect(plan.solver.objective).toBeCloseTo(20, 9);
    expect(plan.assignments.map((a) => a.equipmentId)).toEqual(['E1', 'E1']);
    expect(Math.abs(at.A.startSlot - at.B.startSlot)).toBe(1); // one on-block, one start
    // G1 (50 kW) needs 2 h for 100 kWh; E1 goes off between the windows, so a second run there is a second start.
    const apart = [handJob('A', 100, '00:00', '02:00'), handJob('B', 100, '05:00', '07:00')];
    const split = await solve(handRequest(apart, [{ ...E1, maxStartsPerDay: 1 }, G1]));
    expect(split.plan.solver.objective).toBeCloseTo(10 + (100 / 0.8) * 0.09, 9);
    expect(split.plan.assignments.map((a) => a.equipmentId).sort()).toEqual(['E1', 'G1']);
  });

  it('holds the min run time over the heater state: two 60-min jobs back to back make a 120-min run (20); one alone goes to gas, or says why', async () => {
    const jobs = [handJob('A', 100, '00:00', '08:00'), handJob('B', 100, '00:00', '08:00')];
    const { plan, at } = await solve(handRequest(jobs, [{ ...E1, minRunTimeMinutes: 120 }, G1]));
    expect(plan.solver.objective).toBeCloseTo(20, 9);
    expect([at.A.equipmentId, at.B.equipmentId]).toEqual(['E1', 'E1']);
    expect(Math.abs(at.A.startSlot - at.B.startSlot)).toBe(1);
    const one = [handJob('A', 50, '00:00', '08:00')];
    const single = await solve(handRequest(one, [{ ...E1, minRunTimeMinutes: 120 }, G1]));
    expect(single.at.A.equipmentId).toBe('G1');
    expect(single.plan.solver.objective).toBeCloseTo((50 / 0.8) * 0.09, 9);
    const alone = await solve(handRequest(one, [{ ...E1, minRunTimeMinutes: 120 }]));
    expect(alone.plan.unscheduled).toEqual([{ jobId: 'A', reason: expect.stringContaining("E1's min run time") }]);
  });

  it('keeps a job below the min load off that heater (30 kW on a 40 kW minimum: 3 → 3.375 on gas)', async () => {
    const jobs = [handJob('A', 30, '00:00', '08:00')];
    expect((await solve(handRequest(jobs, [E1, G1]))).plan.solver.objective).toBeCloseTo(3, 9);
    const { plan, at } = await solve(handRequest(jobs, [{ ...E1, minLoadKw: 40 }, G1]));
    expect(at.A.equipmentId).toBe('G1');
    expect(plan.solver.objective).toBeCloseTo((30 / 0.8) * 0.09, 9);
  });

  it('prices cold starts only: two back-to-back runs with 10 kWh start-up pay one start (20 → 21), and a heater without start-up energy takes both', async () => {
    const jobs = [handJob('A', 100, '00:00', '08:00'), handJob('B', 100, '00:00', '08:00')];
    const warm = { ...E1, startupEnergyKwh: 10 };
    const { plan, problem, at } = await solve(handRequest(jobs, [warm]));
    expect(plan.solver.objective).toBeCloseTo(20 + 10 * 0.1, 9);
    expect(Math.abs(at.A.startSlot - at.B.startSlot)).toBe(1);
    expect(pricePlanExact(problem, plan.assignments).totals).toMatchObject({
      startupKwh: '10',
      startupCost: '1',
      total: expect.any(String),
    });
    const both = await solve(handRequest(jobs, [warm, E2]));
    expect(both.plan.solver.objective).toBeCloseTo(20, 9);
    expect(both.plan.assignments.map((a) => a.equipmentId)).toEqual(['E2', 'E2']);
  });

  describe('a gap shorter than the min off time (120 min): A runs 06:00-07:00, B 08:00-09:00', () => {
    const jobs = [handJob('A', 100, '06:00', '07:00'), handJob('B', 100, '08:00', '09:00')];
    const heater = { ...E1, minOffTimeMinutes: 120, startupEnergyKwh: 10 };

    it('keeps the heater on in hot standby and pays its holding energy: 10 + 20 energy, one start 1, 5 kW × 1 h × 0.10 = 0.5', async () => {
      const { plan, problem } = await solve(handRequest(jobs, [{ ...heater, standbyKw: 5 }]));
      expect(plan.unscheduled).toEqual([]);
      expect(plan.solver.objective).toBeCloseTo(10 + 20 + 1 + 0.5, 9);
      expect(plan.loadProfileKw.slice(6, 9)).toEqual([100, 5, 100]);
      const priced = pricePlanExact(problem, plan.assignments);
      expect(priced.totals).toMatchObject({ startupKwh: '10', startupCost: '1', standbyKwh: '5', standbyCost: '0.5' });
      expect(priced.runs.find((r) => r.jobId === 'B')).toMatchObject({
        startup: { kwh: '0' },
        standby: { slots: 1, kwh: '5', cost: '0.5' },
      });
    });

    it('is forbidden without standby: one job stays out, and says why', async () => {
      const { plan } = await solve(handRequest(jobs, [heater]));
      expect(plan.assignments).toHaveLength(1);
      expect(plan.unscheduled).toEqual([{ jobId: expect.any(String), reason: expect.stringContaining("E1's off time") }]);
      expect(plan.unscheduled[0].reason).toContain("A, B cannot all run: E1's min off time (08:00-09:00)");
    });

    it('goes cold at the min off time or more, even where standby would cost less: two starts (10 + 20 + 1 + 2)', async () => {
      const later = [handJob('A', 100, '06:00', '07:00'), handJob('B', 100, '09:00', '10:00')];
      const { plan, problem } = await solve(handRequest(later, [{ ...heater, standbyKw: 5 }]));
      expect(plan.solver.objective).toBeCloseTo(10 + 20 + 10 * 0.1 + 10 * 0.2, 9);
      expect(pricePlanExact(problem, plan.assignments).totals).toMatchObject({ startupKwh: '20', standbyKwh: '0' });
    });
  });

  it('lets a changeover make one sequence cheaper: A→B needs 60 min, B→A 180 min (20 → 30)', async () => {
    const jobs = [
      handJob('JA', 100, '06:00', '09:00', { productFamily: 'A' }),
      handJob('JB', 100, '06:00', '09:00', { productFamily: 'B' }),
    ];
    const changeovers = [
      { fromFamily: 'A', toFamily: 'B', minutes: 60 },
      { fromFamily: 'B', toFamily: 'A', minutes: 180 },
    ];
    expect((await solve(handRequest(jobs, [E1]))).plan.solver.objective).toBeCloseTo(20, 9);
    const { plan, at } = await solve(handRequest(jobs, [{ ...E1, changeovers }]));
    expect(plan.solver.objective).toBeCloseTo(30, 9);
    expect(hours(at.JA)).toEqual([6, 7]);
    expect(hours(at.JB)).toEqual([8, 9]);
    // Swap the matrix and the order swaps with it.
    const swapped = changeovers.map((c) => ({ ...c, fromFamily: c.toFamily, toFamily: c.fromFamily }));
    const other = await solve(handRequest(jobs, [{ ...E1, changeovers: swapped }]));
    expect([hours(other.at.JB), hours(other.at.JA)]).toEqual([
      [6, 7],
      [8, 9],
    ]);
  });

  it('stacks jobs on a heater that allows it, up to its capacity, and names the job that does not fit', async () => {
    const oven = { id: 'OVEN', name: 'Oven', type: 'electric', capacityKw: 100, efficiency: 1, allowStacking: true } as const;
    const batch = (id: string) => handJob(id, 50, '06:00', '07:00', { durationMinutes: 60 });
    const two = await solve(handRequest([batch('A'), batch('B')], [oven]));
    expect(two.plan.assignments.map((a) => hours(a))).toEqual([
      [6, 7],
      [6, 7],
    ]);
    const withoutStacking = await solve(handRequest([batch('A'), batch('B')], [{ ...oven, allowStacking: false }]));
    expect(withoutStacking.plan.unscheduled).toHaveLength(1);
    const three = await solve(handRequest([batch('A'), batch('B'), batch('C')], [oven]));
    expect(three.plan.assignments).toHaveLength(2);
    expect(three.plan.unscheduled).toEqual([
      { jobId: expect.any(String), reason: expect.stringContaining("OVEN's capacity (stacked jobs)") },
    ]);
  });
});

describe('site rules', () => {
  it('starts jobs only in staffed shifts (10 at 00:00 → 20 at 08:00)', async () => {
    const jobs = [handJob('A', 100, '00:00', '12:00')];
    const { plan, at } = await solve(handRequest(jobs, [E1], { staffedShifts: [{ from: '08:00', to: '16:00' }] }));
    expect(hours(at.A)).toEqual([8, 9]);
    expect(plan.solver.objective).toBeCloseTo(20, 9);
    // A night shift that started the day before covers 00:00-06:00 of this Monday.
    const night = await solve(handRequest(jobs, [E1], { staffedShifts: [{ from: '22:00', to: '06:00', weekdays: [7] }] }));
    expect(hours(night.at.A)[0]).toBeLessThan(6);
    const weekdaysOnly = await solve(
      handRequest(jobs, [E1], { staffedShifts: [{ from: '22:00', to: '06:00', weekdays: [1, 2, 3, 4, 5] }] }),
    );
    expect(weekdaysOnly.plan.unscheduled.map((u) => u.jobId)).toEqual(['A']);
    expect(weekdaysOnly.plan.unscheduled[0].reason).toContain('starting in a staffed shift');
  });

  it('keeps a locked job on its heater and start even when elsewhere is cheaper', async () => {
    const { plan, at } = await solve(
      handRequest([handJob('A', 100, '00:00', '23:00', { lock: { equipmentId: 'E2', start: '2026-03-02T10:00:00Z' } })], [E1, E2]),
    );
    expect(at.A).toMatchObject({ equipmentId: 'E2', startSlot: 10 });
    expect(plan.solver.objective).toBeCloseTo(20, 9);
  });

  it('names a lock that cannot hold (maintenance) with all-or-nothing (E003)', async () => {
    const e2 = { ...E2, unavailability: [{ start: '2026-03-02T09:00:00Z', end: '2026-03-02T12:00:00Z', reason: 'maintenance' as const }] };
    const request = handRequest(
      [handJob('A', 100, '00:00', '23:00', { lock: { equipmentId: 'E2', start: '2026-03-02T10:00:00Z' } })],
      [E1, e2],
      { allOrNothing: true },
    );
    const err = await solvePlan(problemFromRequest(request), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).problems).toEqual([
      {
        path: 'schedule.jobs[0]',
        message: expect.stringMatching(/job A fits no heater \(E1: the job is locked to E2; E2: the lock's start .* leaves no 60-min run/),
      },
    ]);
  });

  it.each([
    ['finish_to_start', 60, [6, 7], [8, 9], 30],
    ['start_to_start', 60, [6, 7], [7, 8], 20],
    ['finish_to_finish', 60, [6, 7], [7, 8], 20],
    ['start_to_finish', 180, [6, 7], [8, 9], 30],
  ] as const)('orders jobs by %s with a lag of %i min', async (type, lagMinutes, first, second, objective) => {
    const jobs = [
      handJob('J1', 100, '06:00', '09:00'),
      handJob('J2', 100, '06:00', '09:00', { predecessors: [{ jobId: 'J1', type, lagMinutes }] }),
    ];
    expect((await solve(handRequest(jobs, [E1, E2]))).plan.solver.objective).toBeCloseTo(objective, 9);
    const { at } = await solve(handRequest(jobs, [E1, E2]));
    expect(hours(at.J1)).toEqual(first);
    expect(hours(at.J2)).toEqual(second);
  });

  it('explains a successor whose predecessor leaves it no room', async () => {
    const jobs = [
      handJob('J1', 100, '06:00', '09:00'),
      handJob('J2', 100, '06:00', '08:00', { predecessors: [{ jobId: 'J1', lagMinutes: 120 }] }),
    ];
    const { plan } = await solve(handRequest(jobs, [E1, E2]));
    expect(plan.unscheduled).toEqual([{ jobId: 'J2', reason: expect.stringContaining('no start left after predecessor J1') }]);
  });
});

describe('demand charges with a billing-period floor', () => {
  // One on-peak hour: E1 costs 40 of energy + 500 of demand; a dear gas boiler costs 100 / 0.8 × 0.40 = 50.
  const gas = { id: 'G2', name: 'Gas 2', type: 'gas_boiler', capacityKw: 100, efficiency: 0.8, fuelRatePerKwh: 0.4 } as const;
  const jobs = [handJob('A', 100, '16:00', '17:00')];

  it('burns gas when electricity would set a new peak', async () => {
    const { at } = await solve(handRequest(jobs, [E1, gas]));
    expect(at.A.equipmentId).toBe('G2');
  });

  it.each([
    ['an incumbent on-peak peak of 150 kW', { incumbentPeakKw: { 'on-peak': 150 } }],
    ['a 75 % ratchet on a 200 kW peak', { demandRatchet: { percent: 75, peakKw: 200 } }],
  ])('uses electricity under %s, which the day does not raise: it pays its energy only', async (_, settings) => {
    const { plan, problem, at } = await solve(handRequest(jobs, [E1, gas], settings));
    expect(at.A.equipmentId).toBe('E1');
    expect(plan.solver.objective).toBeCloseTo(40, 9);
    const [onPeak] = demandChargeLines(problem.demand, loadProfile(problem, plan.assignments));
    expect(onPeak).toMatchObject({ label: 'on-peak', peakKw: 100, floorKw: 150, billedKw: 150, raisedKw: 0, cost: 0, periodCharge: 750 });
  });
});

describe('objectives', () => {
  it('minimize_tardiness makes the low-priority job late rather than the urgent one (10 + 10 + 1 h × 100)', async () => {
    const jobs = [handJob('URGENT', 100, '06:00', '07:00', { priority: 1 }), handJob('LATER', 100, '06:00', '07:00', { priority: 5 })];
    const { plan, at } = await solve(handRequest(jobs, [E1], { objective: 'minimize_tardiness', tardinessCostPerHour: 100 }));
    expect(hours(at.URGENT)).toEqual([6, 7]);
    expect(hours(at.LATER)).toEqual([7, 8]);
    expect(plan.solver.objective).toBeCloseTo(120, 9);
  });

  it('minimize_makespan spreads work over heaters where cost would queue it on the cheapest (3 h → 2 h)', async () => {
    const jobs = ['A', 'B', 'C'].map((id) => handJob(id, 100, '00:00', '08:00'));
    const cheapest = await solve(handRequest(jobs, [E1, G1]));
    expect(cheapest.plan.assignments.every((a) => a.equipmentId === 'E1')).toBe(true);
    const { plan } = await solve(handRequest(jobs, [E1, G1], { objective: 'minimize_makespan' }));
    expect(plan.solver).toMatchObject({ objectiveKind: 'minimize_makespan', status: 'optimal' });
    expect(plan.solver.objective).toBeCloseTo(2, 9);
    expect(Math.max(...plan.assignments.map((a) => a.endSlot))).toBe(2);
  });

  it('balance_resources evens the running hours across heaters (4 h on one → 2 h each)', async () => {
    const jobs = ['A', 'B', 'C', 'D'].map((id) => handJob(id, 100, '00:00', '08:00'));
    const e2 = { ...E2, efficiency: 0.9 };
    const cheapest = await solve(handRequest(jobs, [E1, e2]));
    expect(cheapest.plan.assignments.every((a) => a.equipmentId === 'E1')).toBe(true);
    const { plan } = await solve(handRequest(jobs, [E1, e2], { objective: 'balance_resources' }));
    expect(plan.solver.objective).toBeCloseTo(2, 9);
    expect(plan.assignments.filter((a) => a.equipmentId === 'E1')).toHaveLength(2);
  });
});

describe('partial plans', () => {
  it('plans what fits and names the job left out, with the rule that blocks it', async () => {
    const jobs = [handJob('A', 200, '06:00', '08:00'), handJob('B', 200, '06:00', '08:00', { priority: 1 })];
    const { plan } = await solve(handRequest(jobs, [E1]));
    expect(plan.assignments.map((a) => a.jobId)).toEqual(['B']);
    expect(plan.unscheduled).toEqual([
      {
        jobId: 'A',
        reason:
          'every run in its window is blocked by the planned jobs: E1 busy (1 of 1 runs); A, B cannot all run: E1 runs one job at a time (06:00-08:00)',
      },
    ]);
    expect(plan.solver.objective).toBeCloseTo(20, 9);
    expect(plan.solver.bound).toBeNull();
  });

  it("names the jobs and rules of HiGHS's infeasible subsystem: three 2-hour jobs for two heaters in one 2-hour window, not the job elsewhere", async () => {
    const jobs = [
      handJob('A', 200, '06:00', '08:00'),
      handJob('B', 200, '06:00', '08:00', { priority: 1 }),
      handJob('C', 200, '06:00', '08:00', { priority: 2 }),
      handJob('D', 200, '00:00', '23:00', { priority: 5 }),
    ];
    const { plan } = await solve(handRequest(jobs, [E1, E2]));
    expect(plan.assignments.map((a) => a.jobId).sort()).toEqual(['B', 'C', 'D']);
    expect(plan.unscheduled).toEqual([
      {
        jobId: 'A',
        reason: expect.stringMatching(
          /; A, B, C cannot all run: E1 runs one job at a time \(06:00-08:00\); E2 runs one job at a time \(06:00-08:00\)$/,
        ),
      },
    ]);
  });

  it('names the peak limit when it is what keeps two jobs apart', async () => {
    // Each job draws 100 kW on either heater; 150 kW leaves room for one at a time, and both must run 06:00-08:00.
    const jobs = [handJob('A', 200, '06:00', '08:00'), handJob('B', 200, '06:00', '08:00', { priority: 1 })];
    const { plan } = await solve(handRequest(jobs, [E1, E2], { peakLimitKw: 150, baseLoadKw: 0 }));
    expect(plan.assignments.map((a) => a.jobId)).toEqual(['B']);
    expect(plan.unscheduled[0].reason).toMatch(/; A, B cannot all run: peakLimitKw 150 kW \(0[67]:00-0[78]:00\)$/);
  });
});

describe('a generated plant day with every rule', () => {
  it('keeps every rule through the MILP and the neighbourhood search, and places more jobs than FIFO and greedy insertion', async () => {
    // 30 jobs × 3 heaters on 30-min slots, families with changeovers, off times, starts per day, shifts, chains;
    // more heat than the heaters can give in the jobs' windows. A work budget that leaves the day unproved: both phases run.
    // (Seed 4's 24-job day became optimal in one node once runs back to back share a start.)
    const problem = problemFromRequest(
      generateRequest({ seed: 6, jobs: 30, heaters: 3, windows: 'tight', utilisation: 0.8, rules: true, slotMinutes: 30 }),
    );
    expect(problem.schedule.jobs.filter((j) => j.predecessors.length).length).toBe(2);
    const { milp, context } = buildMilp(problem);
    expect(milp.rowLabels.some((r) => r.kind === 'changeover')).toBe(true);
    const fifoLeftOut = context.fifo.filter((col) => col < 0).length;
    expect(constructPlan(problem, context, milp).chosen.filter((col) => col < 0)).toHaveLength(fifoLeftOut);
    const plan = await solvePlan(problem, byWork({ wholeMilpNodes: 1, neighbourhoods: 2, neighbourhoodNodes: 5 }));
    expect(plan.solver.status).toBe('work_limit');
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(fifoLeftOut).toBe(9);
    expect(plan.unscheduled).toHaveLength(3);
  });
});

describe('a heat pump whose COP changes over the day', () => {
  // COP 3 nominal; 1.5 on the cold night (00:00-08:00), 4 in the afternoon sun (08:00-16:00).
  const pump = { id: 'HP', name: 'Heat pump', type: 'heat_pump', capacityKw: 100, efficiency: 3 } as const;
  const windows = [
    { start: '2026-03-02T00:00:00Z', end: '2026-03-02T08:00:00Z', efficiency: 1.5 },
    { start: '2026-03-02T08:00:00Z', end: '2026-03-02T16:00:00Z', efficiency: 4 },
  ];
  const jobs = [handJob('A', 300, '00:00', '16:00')];

  it('runs at night on the nominal COP (300/3 kWh × 0.10 = 10), in the day when the night COP is poor (300/4 × 0.20 = 15)', async () => {
    const nominal = await solve(handRequest(jobs, [pump]));
    expect(hours(nominal.at.A)).toEqual([0, 3]);
    expect(nominal.plan.solver.objective).toBeCloseTo(10, 9);
    const { plan, problem, at } = await solve(handRequest(jobs, [{ ...pump, efficiencyWindows: windows }]));
    expect(hours(at.A)).toEqual([8, 11]);
    expect(plan.solver.objective).toBeCloseTo(15, 9);
    expect(at.A.electricKwBySlot).toEqual([25, 25, 25]);
    expect(plan.loadProfileKw.slice(7, 12)).toEqual([0, 25, 25, 25, 0]);
    expect(pricePlanExact(problem, plan.assignments).totals).toMatchObject({ electricKwh: '75', electricCost: '15' });
  });
});

describe('a modulating job', () => {
  // 200 kWh in the on-peak evening: at full power 2 h × 100 kW = 80 + 5 × 100 demand = 580.
  const jobs = (modulating: boolean) => [{ ...handJob('A', 200, '16:00', '00:00', { modulating }), deadline: '2026-03-03T00:00:00Z' }];

  it('stretches at lower power to cut the demand charge (580 → 8 h at 25 kW: 80 + 125 = 205), and the cost agent agrees', async () => {
    expect((await solve(handRequest(jobs(false), [E1]))).plan.solver.objective).toBeCloseTo(580, 9);
    const { plan, problem, at } = await solve(handRequest(jobs(true), [E1]));
    expect(hours(at.A)).toEqual([16, 24]);
    expect(at.A.thermalKw).toBeCloseTo(25, 9);
    expect(plan.solver.objective).toBeCloseTo(205, 9);
    const { totals } = pricePlanExact(problem, plan.assignments);
    expect(Number(totals.electricCost) + Number(totals.demandCharge)).toBeCloseTo(205, 9);
  });

  it('is refused together with a fixed duration', () => {
    expect(() =>
      problemFromRequest(handRequest([handJob('A', 200, '16:00', '23:00', { modulating: true, durationMinutes: 120 })], [E1])),
    ).toThrow(/schedule\.jobs\[0\]\.modulating: a modulating job takes its duration from its power/);
  });
});
