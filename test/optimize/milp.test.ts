import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { constructPlan, planObjective } from '../../activities/optimize/construct.ts';
import { buildMilp, COLUMN_BUDGET } from '../../activities/optimize/milp.ts';
import { solveInThread } from '../../activities/optimize/run-in-thread.ts';
import { solvePlan, workBudgetFor } from '../../activities/optimize/solve.ts';
import { DomainError } from '../../domain/errors.ts';
import { toAssignment } from '../../domain/heating.ts';
import { canonicalJson } from '../../domain/hashing.ts';
import type { Assignment } from '../../domain/plan.ts';
import { generateRequest } from '../../examples/generate.ts';
import { planViolations } from '../support/plan-check.ts';
import { byWork, handJob, handRequest, problemFromRequest } from '../support/problem.ts';

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;
const E2 = { ...E1, id: 'E2', name: 'Electric 2' } as const;
const G1 = { id: 'G1', name: 'Gas boiler', type: 'gas_boiler', capacityKw: 50, efficiency: 0.8, fuelRatePerKwh: 0.09 } as const;
const options = byWork();

const byJob = (assignments: Assignment[]) => Object.fromEntries(assignments.map((a) => [a.jobId, a]));

async function expectDomainError(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  return err as DomainError;
}

describe('time-indexed MILP on hand-computed instances (60-min slots)', () => {
  it('picks the cheapest heater and start per job', async () => {
    // J1 (200 kWh): E1 at 06:00 in off-peak = 2 x 100 kWh x 0.10 = 20; on G1 it would burn 250 kWh of gas x 0.09 = 22.50.
    // J2 (100 kWh): E1 costs 20 at mid-peak; G1 burns 125 kWh x 0.09 = 11.25.
    const problem = problemFromRequest(handRequest([handJob('J1', 200, '06:00', '12:00'), handJob('J2', 100, '14:00', '18:00')], [E1, G1]));
    const plan = await solvePlan(problem, options);
    const a = byJob(plan.assignments);
    expect(a.J1).toMatchObject({ equipmentId: 'E1', startSlot: 6, endSlot: 8, start: '2026-03-02T06:00:00.000Z', electricKw: 100 });
    expect(a.J2).toMatchObject({ equipmentId: 'G1', thermalKw: 50, fuelKw: 62.5, electricKw: 0 });
    expect(a.J2.energyCost).toBeCloseTo(11.25, 9);
    expect(plan.solver.status).toBe('optimal');
    expect(plan.solver.objective).toBeCloseTo(31.25, 6);
    expect(plan.peakKw).toBe(100);
    expect(plan.peakByCategoryKw).toEqual({ 'off-peak': 100, 'mid-peak': 0, 'on-peak': 0 });
    expect(plan.loadProfileKw.slice(5, 9)).toEqual([0, 100, 100, 0]);
  });

  it('staggers electric jobs in on-peak hours to halve the demand charge', async () => {
    // Both must run 16:00-18:00 at 0.40 (2 x 40 = 80); together the on-peak peak is 200 kW (1000), staggered 100 kW (500).
    const jobs = [
      handJob('J3', 100, '16:00', '18:00', { allowedEquipment: ['E1'] }),
      handJob('J4', 100, '16:00', '18:00', { allowedEquipment: ['E2'] }),
    ];
    const plan = await solvePlan(problemFromRequest(handRequest(jobs, [E1, E2])), options);
    const a = byJob(plan.assignments);
    expect(new Set([a.J3.startSlot, a.J4.startSlot])).toEqual(new Set([16, 17]));
    expect(plan.peakKw).toBe(100);
    expect(plan.solver.objective).toBeCloseTo(580, 6);
  });

  it('keeps the site under the contractual peak limit at a higher energy cost', async () => {
    // Off-peak ends at 08:00: both jobs at 07:00 cost 2 x 10 = 20 but draw 200 kW.
    const jobs = [
      handJob('J5', 100, '07:00', '10:00', { allowedEquipment: ['E1'] }),
      handJob('J6', 100, '07:00', '10:00', { allowedEquipment: ['E2'] }),
    ];
    const free = await solvePlan(problemFromRequest(handRequest(jobs, [E1, E2])), options);
    expect(free.peakKw).toBe(200);
    expect(free.solver.objective).toBeCloseTo(20, 6);

    const limited = await solvePlan(problemFromRequest(handRequest(jobs, [E1, E2], { peakLimitKw: 150, baseLoadKw: 40 })), options);
    expect(limited.peakKw).toBe(140);
    expect(Math.max(...limited.loadProfileKw)).toBeLessThanOrEqual(150);
    // One at 07:00 (10), the other at mid-peak (20), plus the base load's on-peak demand charge 40 kW x 5.
    expect(limited.solver.objective).toBeCloseTo(230, 6);
  });

  it('never runs a heater during its maintenance window', async () => {
    // E1 is down 06:00-08:00, so J1 costs 40 on E1 at mid-peak and 22.50 on G1; G1 also takes J2 (11.25).
    const maintained = {
      ...E1,
      unavailability: [{ start: '2026-03-02T06:00:00Z', end: '2026-03-02T08:00:00Z', reason: 'maintenance' as const }],
    };
    const problem = problemFromRequest(
      handRequest([handJob('J1', 200, '06:00', '12:00'), handJob('J2', 100, '14:00', '18:00')], [maintained, G1]),
    );
    const plan = await solvePlan(problem, options);
    expect(byJob(plan.assignments).J1.equipmentId).toBe('G1');
    expect(plan.solver.objective).toBeCloseTo(33.75, 6);
    expect(planViolations(problem, plan.assignments)).toEqual([]);
  });

  it('flips between heat pump and gas boiler with the gas price', async () => {
    // 100 kWh at 02:00 (off-peak 0.10): the heat pump (COP 4) draws 25 kWh = 2.50; the boiler burns 125 kWh x gas price.
    const heatPump = { id: 'HP', name: 'Heat pump', type: 'heat_pump', capacityKw: 100, efficiency: 4 } as const;
    const boiler = (price: number) => ({ ...G1, capacityKw: 100, fuelRatePerKwh: price });
    const solveAt = (price: number) =>
      solvePlan(problemFromRequest(handRequest([handJob('J', 100, '02:00', '03:00')], [heatPump, boiler(price)])), options);
    const dearGas = await solveAt(0.03); // 3.75 on gas
    expect(dearGas.assignments[0]).toMatchObject({ equipmentId: 'HP', electricKw: 25 });
    expect(dearGas.solver.objective).toBeCloseTo(2.5, 9);
    const cheapGas = await solveAt(0.015); // 1.875 on gas
    expect(cheapGas.assignments[0]).toMatchObject({ equipmentId: 'G1', fuelKw: 125, electricKw: 0 });
    expect(cheapGas.solver.objective).toBeCloseTo(1.875, 9);
  });

  it('places a job whose window leaves exactly one start', async () => {
    const plan = await solvePlan(
      problemFromRequest(handRequest([handJob('ONE', 300, '05:00', '08:00', { allowedEquipment: ['E1'] })], [E1, G1])),
      options,
    );
    expect(plan.assignments[0]).toMatchObject({ equipmentId: 'E1', startSlot: 5, endSlot: 8 });
    // Its one start column and the on-peak demand column; its skip column went with the complete plan.
    expect(plan.solver.columns).toBe(2);
  });

  it('names the job no heater can run in time (E003)', async () => {
    const request = handRequest(
      [handJob('OK', 100, '00:00', '23:00'), handJob('LATE', 500, '06:00', '08:00', { allowedEquipment: ['E1'] })],
      [E1, G1],
      { allOrNothing: true },
    );
    const err = await expectDomainError(solvePlan(problemFromRequest(request), options), 'E003');
    expect(err.problems).toEqual([
      { path: 'schedule.jobs[1]', message: expect.stringContaining('job LATE fits no heater (E1: no free 300-min window') },
    ]);
  });

  it('reports E003 when jobs compete for the same heater and window', async () => {
    const request = handRequest([handJob('A', 200, '06:00', '08:00'), handJob('B', 200, '06:00', '08:00', { priority: 1 })], [E1], {
      allOrNothing: true,
    });
    const err = await expectDomainError(solvePlan(problemFromRequest(request), options), 'E003');
    // B has the higher priority, so A is the job left out, blocked by E1 being busy with B.
    expect(err.problems).toEqual([
      {
        path: 'schedule.jobs[0]',
        message:
          'job A cannot be placed: every run in its window is blocked by the planned jobs: E1 busy (1 of 1 runs); A, B cannot all run: E1 runs one job at a time (06:00-08:00)',
      },
    ]);
  });

  it('reports E003 when the base load alone breaks the peak limit', async () => {
    const request = handRequest([handJob('J1', 200, '06:00', '12:00')], [E1, G1], { peakLimitKw: 50, baseLoadKw: 60 });
    const err = await expectDomainError(solvePlan(problemFromRequest(request), options), 'E003');
    expect(err.problems[0].path).toBe('settings.baseLoadKw');
  });

  it('drops heaters that alone would break the peak limit, and says so when none is left', async () => {
    const request = handRequest([handJob('J1', 200, '06:00', '12:00', { allowedEquipment: ['E1'] })], [E1, G1], {
      peakLimitKw: 120,
      baseLoadKw: 30,
      allOrNothing: true,
    });
    const err = await expectDomainError(solvePlan(problemFromRequest(request), options), 'E003');
    expect(err.problems[0].message).toContain('E1: draws 100 kW, over the 90 kW left under peakLimitKw');
  });
});

describe('when the FIFO rule cannot place every job', () => {
  // FIFO serves A (priority 1) at 00:00, after which B (due 01:00) no longer fits; B first, then A, does.
  const jobs = [handJob('A', 100, '00:00', '04:00', { priority: 1 }), handJob('B', 100, '00:00', '01:00', { priority: 3 })];
  const problem = () => problemFromRequest(handRequest(jobs, [E1]));

  it('still finds the plan that meets every deadline', async () => {
    const plan = await solvePlan(problem(), options);
    const a = byJob(plan.assignments);
    expect(a.B.startSlot).toBe(0);
    expect(a.A.startSlot).toBeGreaterThanOrEqual(1); // any off-peak hour after B costs the same
  });

  it('reports E002 when the time limit ends before the bare MILP finds a complete plan (all or nothing)', async () => {
    const strict = problemFromRequest(handRequest(jobs, [E1], { allOrNothing: true }));
    const err = await expectDomainError(solvePlan(strict, { timeLimitSeconds: 1e-6, mipGap: 0, constructiveStart: false }), 'E002');
    expect(err.message).toContain('solverTimeLimitSeconds');
  });
});

describe('solver behaviour on generated plant days', () => {
  it('gives the same plan for the same problem (reproducible hash chain)', async () => {
    const problem = problemFromRequest(generateRequest({ seed: 7, jobs: 8, heaters: 3 }));
    const first = await solvePlan(problem, options);
    const second = await solvePlan(problem, options);
    expect(canonicalJson(second)).toBe(canonicalJson(first));
    expect(first.solver.status).toBe('optimal');
    expect(planViolations(problem, first.assignments)).toEqual([]);
  });

  it('returns a complete valid plan, never worse than FIFO, with its gap when the time limit ends the search', async () => {
    // How far the search gets in 2 s depends on the machine; what it returns must hold on any.
    const problem = problemFromRequest(generateRequest({ seed: 11, jobs: 40, heaters: 4, windows: 'loose' }));
    const { milp, context } = buildMilp(problem);
    const plan = await solvePlan(problem, { timeLimitSeconds: 2, mipGap: 0 });
    expect(plan.assignments).toHaveLength(40);
    expect(planViolations(problem, plan.assignments)).toEqual([]);
    expect(plan.solver.objective!).toBeLessThanOrEqual(planObjective(problem, context, milp, context.fifo) + 1e-6);
    expect(['time_limit', 'optimal']).toContain(plan.solver.status);
    if (plan.solver.bound !== null) {
      expect(plan.solver.bound).toBeLessThanOrEqual(plan.solver.objective! + 1e-6);
      expect(plan.solver.gap).toBeCloseTo((plan.solver.objective! - plan.solver.bound) / plan.solver.objective!, 9);
      if (plan.solver.status === 'time_limit') expect(plan.solver.gap).toBeGreaterThan(0);
    }
  });

  it('starts from a constructive plan that is complete, valid and never worse than FIFO', () => {
    for (const seed of [1, 2, 3]) {
      const problem = problemFromRequest(generateRequest({ seed, jobs: 60, heaters: 5, windows: 'loose', utilisation: 0.5 }));
      const { milp, context } = buildMilp(problem);
      const plan = constructPlan(problem, context, milp);
      expect(context.fifo.every((col) => col >= 0)).toBe(true);
      const fifo = planObjective(problem, context, milp, context.fifo);
      expect(plan.objective).toBeLessThanOrEqual(fifo + 1e-9);
      const energyRates = problem.slots.map((s) => s.energyRate);
      const assignments = plan.chosen.map((col) => toAssignment(milp.runs[col].option, milp.runs[col].start, problem.grid, energyRates));
      expect(planViolations(problem, assignments)).toEqual([]);
    }
  });

  it('improves on its constructive start (whole MILP, then neighbourhood search), reports each incumbent and the bound honestly', async () => {
    // A work budget that does not prove this day optimal: both phases run.
    const problem = problemFromRequest(
      generateRequest({ seed: 5, jobs: 20, heaters: 3, utilisation: 0.5, windows: 'tight', slotMinutes: 60 }),
    );
    const { milp, context } = buildMilp(problem);
    const start = constructPlan(problem, context, milp);
    const incumbents: number[] = [];
    const plan = await solvePlan(
      problem,
      byWork({ wholeMilpNodes: 1, neighbourhoods: 3, neighbourhoodNodes: 10 }),
      (p) => p.incumbent !== undefined && incumbents.push(p.incumbent),
    );
    expect(plan.solver.status).toBe('work_limit');
    expect(plan.assignments).toHaveLength(20);
    expect(planViolations(problem, plan.assignments)).toEqual([]);
    expect(plan.solver.objective!).toBeLessThan(start.objective * 0.8);
    expect(incumbents[0]).toBeCloseTo(start.objective, 6);
    expect(plan.solver.objective).toBeCloseTo(incumbents.at(-1)!, 6);
    expect(plan.solver.bound!).toBeLessThanOrEqual(plan.solver.objective!);
    expect(plan.solver.gap).toBeGreaterThan(0);
  });

  it('resumes from the incumbent plan an earlier attempt reported, and ignores one that does not fit', async () => {
    const problem = problemFromRequest(generateRequest({ seed: 7, jobs: 8, heaters: 3 }));
    let heartbeated: { plan: number[]; incumbent: number } | undefined;
    // The first attempt is bounded by work, so that it always gets past its constructive start.
    const first = await solvePlan(problem, byWork(), (p) => {
      if (p.plan) heartbeated = { plan: p.plan, incumbent: p.incumbent! };
    });
    expect(heartbeated!.incumbent).toBeCloseTo(first.solver.objective!, 6); // the last improvement is the plan returned
    const { milp, context } = buildMilp(problem);
    const start = constructPlan(problem, context, milp);
    expect(heartbeated!.incumbent).toBeLessThan(start.objective);

    const progress: number[] = [];
    const resumed = await solvePlan(
      problem,
      { timeLimitSeconds: 1, mipGap: 0, resumeFrom: heartbeated!.plan },
      (p) => p.incumbent !== undefined && progress.push(p.incumbent),
    );
    expect(resumed.solver.notes[0]).toBe(
      `resumed from the plan an earlier attempt heartbeated (objective ${heartbeated!.incumbent.toFixed(2)})`,
    );
    expect(progress[0]).toBeCloseTo(heartbeated!.incumbent, 6);
    expect(resumed.solver.objective!).toBeLessThanOrEqual(heartbeated!.incumbent + 1e-6);

    const stale = await solvePlan(problem, { timeLimitSeconds: 1, mipGap: 0, resumeFrom: heartbeated!.plan.slice(1) });
    expect(stale.solver.notes).toEqual(['the plan an earlier attempt heartbeated does not fit this problem; started afresh']);
  });

  it('solves in a worker thread with the same result, and a cancelled solve stops at once', async () => {
    const small = problemFromRequest(handRequest([handJob('J1', 200, '06:00', '12:00'), handJob('J2', 100, '14:00', '18:00')], [E1, G1]));
    const inThread = await solveInThread(small, options);
    expect(canonicalJson(inThread)).toBe(canonicalJson(await solvePlan(small, options)));

    const big = problemFromRequest(generateRequest({ seed: 7, jobs: 120, heaters: 6, windows: 'loose', utilisation: 0.6 }));
    const controller = new AbortController();
    const progress: number[] = [];
    const started = performance.now();
    const solving = solveInThread(
      big,
      { timeLimitSeconds: 120, mipGap: 0 },
      { signal: controller.signal, onProgress: (p) => progress.push(p.elapsedMs) },
    );
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 3000);
    await expect(solving).rejects.toThrow(/aborted; solver thread terminated/);
    // The thread is terminated, not left to finish: the promise settles within a second of the abort.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('a problem with more runs than one model takes', () => {
  it("keeps the FIFO plan and each job's cheapest heaters, solves by neighbourhoods, and bounds honestly", async () => {
    const problem = problemFromRequest(generateRequest({ seed: 9, jobs: 400, heaters: 12, days: 2, windows: 'loose', utilisation: 0.5 }));
    const { milp, context } = buildMilp(problem);
    expect(context.restricted!.of).toBeGreaterThan(COLUMN_BUDGET);
    expect(context.restricted!.kept).toBeLessThanOrEqual(COLUMN_BUDGET * 1.05);
    expect(milp.runs.length).toBe(context.restricted!.kept);
    expect(context.fifo.every((col) => col >= 0)).toBe(true); // FIFO's runs survived the thinning
    const plan = await solvePlan(problem, byWork({ wholeMilpNodes: 1, neighbourhoods: 1, neighbourhoodNodes: 10 }));
    expect(plan.unscheduled).toEqual([]);
    expect(planViolations(problem, plan.assignments)).toEqual([]);
    expect(plan.solver.notes[0]).toMatch(/possible runs, more than one model takes/);
    expect(plan.solver.objective!).toBeLessThan(planObjective(problem, context, milp, context.fifo));
    // The bound counts every job at its cheapest run over all heaters and starts, not just the kept ones.
    expect(plan.solver.bound).toBe(context.restricted!.bound);
    expect(plan.solver.bound!).toBeLessThanOrEqual(plan.solver.objective!);
  });
});

describe('settings.deterministic', () => {
  // 20 jobs that HiGHS does not prove within this small budget (1 node, then 3 neighbourhoods).
  const request = generateRequest({ seed: 5, jobs: 20, heaters: 3, utilisation: 0.5, windows: 'tight', slotMinutes: 60 });
  const problem = problemFromRequest({ ...request, settings: { ...request.settings, deterministic: true } });
  const workBudget = { wholeMilpNodes: 1, neighbourhoods: 3, neighbourhoodNodes: 10 };

  it("ends at its work budget, not on the clock: the same plan with both cores busy, and no earlier attempt's plan resumed", async () => {
    const first = await solvePlan(problem, { timeLimitSeconds: 300, mipGap: 0, workBudget });
    expect(first.solver.status).toBe('work_limit');
    expect(first.solver.notes).toEqual([
      expect.stringContaining('ended at its work budget (1 node of the whole model, 3 neighbourhoods of up to 10 nodes), not on the clock'),
    ]);
    expect(planViolations(problem, first.assignments)).toEqual([]);
    // Every phase now takes longer; a search bounded by the clock would stop somewhere else.
    const hogs = [0, 1].map(() => new Worker('for (;;) {}', { eval: true }));
    try {
      const second = await solvePlan(problem, { timeLimitSeconds: 300, mipGap: 0, workBudget, resumeFrom: new Array(20).fill(-1) });
      expect(second.solver.notes[0]).toMatch(/not resumed from, so that the plan depends on the input only/);
      expect(canonicalJson(second.assignments)).toBe(canonicalJson(first.assignments));
      expect(second.solver.objective).toBe(first.solver.objective);
    } finally {
      await Promise.all(hogs.map((h) => h.terminate()));
    }
  });

  it('says so when the time limit comes before the work budget', async () => {
    const plan = await solvePlan(problem, { timeLimitSeconds: 0.2, mipGap: 0, workBudget });
    expect(plan.solver.status).toBe('time_limit');
    expect(plan.solver.notes).toEqual([
      expect.stringMatching(
        /^deterministic: the time limit \(0.2 s\) stopped the search before its work budget .*raise solverTimeLimitSeconds$/,
      ),
    ]);
    expect(planViolations(problem, plan.assignments)).toEqual([]);
  });

  it('takes its budget from the time limit', async () => {
    expect(workBudgetFor(60)).toEqual({ wholeMilpNodes: 6, neighbourhoods: 8, neighbourhoodNodes: 50, tabuIterations: 180_000 });
    const plan = await solvePlan(problem, { timeLimitSeconds: 10, mipGap: 0 });
    expect(plan.solver.notes.join()).toContain('(1 node of the whole model, 3 neighbourhoods of up to 50 nodes)');
  });
});
