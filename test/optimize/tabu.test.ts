import { describe, expect, it } from 'vitest';
import { constructPlan } from '../../activities/optimize/construct.ts';
import { buildMilp } from '../../activities/optimize/milp.ts';
import { shopOfPlan } from '../../activities/optimize/sequences.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { dispatchSequences, makespanLowerBound, ShopEvaluator, tabuSearch, type ShopProblem } from '../../activities/optimize/tabu.ts';
import { jobShopRequest, readJobShop, shopOfJobShop } from '../../examples/jobshop.ts';
import { planViolations } from '../support/plan-check.ts';
import { byWork, problemFromRequest } from '../support/problem.ts';

const instance = (name: string) => readJobShop(new URL(`../../bench/instances/jobshop/${name}.txt`, import.meta.url));
const ANY_START = Int32Array.from({ length: 100 }, (_, t) => t);
const shopOf = shopOfJobShop;

/** Checks a schedule from its start times alone: routes in order, one operation at a time per machine with its gaps. */
function violations(shop: ShopProblem, starts: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (const a of shop.arcs) if (starts[a.to] < starts[a.from] + a.delay) out.push(`arc ${a.from}→${a.to}`);
  shop.operations.forEach((op, u) =>
    shop.operations.forEach((other, v) => {
      if (v <= u || other.machine !== op.machine) return;
      const gap = (a: number, b: number) => (shop.gap && shop.families ? shop.gap[op.machine][shop.families[a]][shop.families[b]] : 0);
      const apart = starts[v] >= starts[u] + op.duration + gap(u, v) || starts[u] >= starts[v] + other.duration + gap(v, u);
      if (!apart) out.push(`${u} and ${v} overlap on machine ${op.machine}`);
    }),
  );
  return out;
}

describe('the disjunctive graph of a shop', () => {
  // Two jobs on two machines: job 0 = (M0, 3) then (M1, 2); job 1 = (M1, 4) then (M0, 1).
  const shop: ShopProblem = {
    operations: [
      { machine: 0, duration: 3, starts: ANY_START },
      { machine: 1, duration: 2, starts: ANY_START },
      { machine: 1, duration: 4, starts: ANY_START },
      { machine: 0, duration: 1, starts: ANY_START },
    ],
    machineCount: 2,
    arcs: [
      { from: 0, to: 1, delay: 3 },
      { from: 2, to: 3, delay: 4 },
    ],
    objective: 'makespan',
  };

  it('starts each operation when its route and its machine let it, and scores the makespan', () => {
    const evaluator = new ShopEvaluator(shop);
    expect(
      evaluator.evaluate([
        [0, 3],
        [2, 1],
      ]),
    ).toEqual({ overrun: 0, value: 6, makespan: 6 });
    expect([...evaluator.starts]).toEqual([0, 4, 0, 4]);
    // Job 1's first operation last on M1: it waits for job 0's second (3 + 2), its successor after it.
    expect(
      evaluator.evaluate([
        [0, 3],
        [1, 2],
      ]),
    ).toEqual({ overrun: 0, value: 10, makespan: 10 });
    expect([...evaluator.starts]).toEqual([0, 3, 5, 9]);
  });

  it("estimates a move's makespan from the heads and tails of the schedule before it (Taillard)", () => {
    const evaluator = new ShopEvaluator(shop);
    evaluator.evaluate([
      [0, 3],
      [2, 1],
    ]);
    evaluator.computeTails();
    // Job 0's second operation moved before job 1's first on M1: the path 0 → 1 → 2 → 3 takes 3 + 2 + 4 + 1.
    expect(evaluator.estimate([1, 2], 0, 1)).toBe(10);
    expect(
      evaluator.evaluate([
        [0, 3],
        [1, 2],
      ])?.makespan,
    ).toBe(10);
  });

  it('finds a cycle in sequences that contradict the routes', () => {
    // On M0 job 1's second operation first, on M1 job 0's second first: each waits for the other.
    expect(
      new ShopEvaluator(shop).evaluate([
        [3, 0],
        [1, 2],
      ]),
    ).toBeNull();
  });

  it('adds changeovers between neighbours and waits for the next allowed start, counting slots past the last one', () => {
    const withRules: ShopProblem = {
      ...shop,
      operations: shop.operations.map((op, v) => (v === 1 ? { ...op, starts: [6, 7] } : op)),
      families: [0, 0, 1, 1],
      gap: [
        [
          [0, 2],
          [2, 0],
        ],
        [
          [0, 5],
          [5, 0],
        ],
      ],
    };
    const evaluator = new ShopEvaluator(withRules);
    // M0: 0 (family 0) ends at 3, then 3 (family 1) after a 2-slot changeover: not before 5; M1: 2 then 1 (changeover 5).
    expect(
      evaluator.evaluate([
        [0, 3],
        [2, 1],
      ]),
    ).toEqual({ overrun: 2, value: 11, makespan: 11 });
    expect([...evaluator.starts]).toEqual([0, 9, 0, 5]);
  });

  it("bounds the makespan by the longest route and each machine's work", () => {
    expect(makespanLowerBound(shop)).toBe(6);
    expect(makespanLowerBound(shopOf(instance('la01')))).toBe(666);
  });
});

describe('tabu search (Nowicki-Smutnicki moves)', () => {
  it('finds the optimum of ft06 (55) from a dispatching start, within 3,000 iterations', () => {
    const shop = shopOf(instance('ft06'));
    const start = new ShopEvaluator(shop).evaluate(dispatchSequences(shop))!;
    const result = tabuSearch(shop, dispatchSequences(shop), { iterations: 3_000, seed: 1 })!;
    expect(start.makespan).toBeGreaterThan(55);
    expect(result.best.score).toEqual({ overrun: 0, value: 55, makespan: 55 });
    expect(violations(shop, result.best.starts)).toEqual([]);
    // The iterations, not the clock, bound the search: the same seed gives the same schedule.
    const again = tabuSearch(shop, dispatchSequences(shop), { iterations: 3_000, seed: 1 })!;
    expect(again.best.sequences).toEqual(result.best.sequences);
    expect(again.iterations).toBe(result.iterations);
  });

  it('stops as soon as the makespan reaches its lower bound', () => {
    const shop = shopOf(instance('la01'));
    const result = tabuSearch(shop, dispatchSequences(shop), { iterations: 1_000_000, seed: 0 })!;
    expect(result.best.score.makespan).toBe(666);
    expect(result.iterations).toBeLessThan(1_000_000);
    expect(violations(shop, result.best.starts)).toEqual([]);
  });

  it('minimises weighted tardiness to the optimum found by trying every pair of machine orders', () => {
    // Three two-operation jobs on two machines with due dates; 3! × 3! orders, cyclic ones skipped.
    const jobs: [number, number][][] = [
      [
        [0, 4],
        [1, 3],
      ],
      [
        [1, 2],
        [0, 5],
      ],
      [
        [0, 3],
        [1, 4],
      ],
    ];
    const base = shopOf({ name: 'three', jobs, machines: 2 }, 'tardiness');
    const due = [7, 8, 9];
    const shop: ShopProblem = {
      ...base,
      operations: base.operations.map((op, v) => (v % 2 === 1 ? { ...op, due: due[(v - 1) / 2], weight: 1 + (v - 1) / 2 } : op)),
    };
    const evaluator = new ShopEvaluator(shop);
    const orders = (ops: number[]): number[][] =>
      ops.length <= 1 ? [ops] : ops.flatMap((v, i) => orders([...ops.slice(0, i), ...ops.slice(i + 1)]).map((rest) => [v, ...rest]));
    const onMachine = (m: number) => shop.operations.flatMap((op, v) => (op.machine === m ? [v] : []));
    let best = Infinity;
    for (const a of orders(onMachine(0)))
      for (const b of orders(onMachine(1))) best = Math.min(best, evaluator.evaluate([a, b])?.value ?? Infinity);
    const result = tabuSearch(shop, dispatchSequences(shop), { iterations: 2_000, seed: 3 })!;
    expect(best).toBeGreaterThan(0);
    expect(result.best.score.value).toBe(best);
    expect(violations(shop, result.best.starts)).toEqual([]);
  });
});

describe('tabu search inside the solver (makespan mode)', () => {
  it('plans la01 at its optimum 666 and proves it by the lower bound, every rule kept', async () => {
    const problem = problemFromRequest(jobShopRequest(instance('la01')));
    const plan = await solvePlan(problem, byWork());
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(plan.solver.status).toBe('optimal');
    expect(Math.round(plan.solver.objective! * 60)).toBe(666);
    expect(plan.solver.notes.join('\n')).toMatch(/tabu search on the heaters' sequences: \d+ iterations, makespan \d+ → 666 slots/);
  });

  it('gives only the families named in a changeover their own gaps, whatever the number of products', () => {
    const request = jobShopRequest(instance('ft06'));
    const shopOfDay = (r: typeof request) => {
      const problem = problemFromRequest(r);
      const { milp, context } = buildMilp(problem);
      return shopOfPlan(problem, context, milp, constructPlan(problem, context, milp))!.shop;
    };
    // Six products, no changeover: one shared family per heater, its gap the off time (0).
    expect(shopOfDay(request).gap).toEqual(Array.from({ length: 6 }, () => [[0]]));
    const two = {
      ...request,
      equipment: request.equipment!.map((h, m) =>
        m === 0 ? { ...h, changeovers: [{ fromFamily: 'job 0', toFamily: 'job 1', minutes: 3 }] } : h,
      ),
    };
    const shop = shopOfDay(two);
    expect(shop.gap![0]).toEqual([
      [0, 3, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(shop.families!.filter((f) => f === 2)).toHaveLength(24);
  });

  it('keeps changeovers between product families while it reorders the heaters (ft06 with 2-minute changeovers)', async () => {
    const request = jobShopRequest(instance('ft06'));
    request.schedule.jobs = request.schedule.jobs.map((j, i) => ({ ...j, productFamily: i % 2 ? 'odd' : 'even' }));
    request.equipment = request.equipment!.map((h) => ({
      ...h,
      changeovers: [
        { fromFamily: 'odd', toFamily: 'even', minutes: 2 },
        { fromFamily: 'even', toFamily: 'odd', minutes: 2 },
      ],
    }));
    const problem = problemFromRequest(request);
    const plan = await solvePlan(problem, byWork({ wholeMilpNodes: 1, neighbourhoods: 0, neighbourhoodNodes: 1, tabuIterations: 5_000 }));
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(plan.unscheduled).toEqual([]);
    // The search shortened the active schedule's makespan and its plan was taken (no rule outside the sequences broken).
    const [, from, to] = /makespan (\d+) → (\d+) slots$/m.exec(plan.solver.notes.join('\n'))!.map(Number);
    expect(to).toBeLessThan(from);
    const makespan = Math.round(plan.solver.objective! * 60);
    expect(makespan).toBeLessThanOrEqual(to);
    // Changeovers only add time: never below the plain optimum.
    expect(makespan).toBeGreaterThanOrEqual(55);
  });
});
