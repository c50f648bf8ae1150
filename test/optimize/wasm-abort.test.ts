// Its own file (own process): the abort needs a HiGHS instance that has not grown its memory yet.
import { afterEach, describe, expect, it } from 'vitest';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { generateRequest } from '../../examples/generate.ts';
import { planViolations } from '../support/plan-check.ts';
import { byWork, problemFromRequest } from '../support/problem.ts';

// No DOM lib in tsconfig: reach the WebAssembly global through the little of it we use.
interface WasmGlobal {
  Memory: { prototype: { grow(delta: number): number } };
  instantiate: (...args: unknown[]) => Promise<unknown>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
const realGrow = wasm.Memory.prototype.grow;
const realInstantiate = wasm.instantiate;

/**
 * HiGHS out of memory, the way a too-large model ends: WebAssembly memories refuse to grow until
 * the next runtime is loaded (this file's first solve loads the first one). Returns the count of loads.
 */
function refuseWasmGrowthUntilReload(): () => number {
  let loads = 0;
  wasm.Memory.prototype.grow = () => {
    throw new RangeError('test: WebAssembly memory growth refused');
  };
  wasm.instantiate = (...args) => {
    if (++loads > 1) wasm.Memory.prototype.grow = realGrow;
    return realInstantiate.apply(wasm, args);
  };
  return () => loads;
}

afterEach(() => {
  wasm.Memory.prototype.grow = realGrow;
  wasm.instantiate = realInstantiate;
});

describe('a HiGHS abort (WebAssembly out of memory)', () => {
  it('is recovered from: the plan comes from the constructive start and small models, says so, and the next solve loads a fresh HiGHS', async () => {
    // 120 jobs × 6 heaters, about 26k columns: the whole model needs more memory than a fresh instance has.
    const problem = problemFromRequest(generateRequest({ seed: 11, jobs: 120, heaters: 6, windows: 'loose' }));
    const loads = refuseWasmGrowthUntilReload();
    const plan = await solvePlan(problem, { timeLimitSeconds: 4, mipGap: 0 });
    expect(plan.solver.notes).toEqual([expect.stringMatching(/^HiGHS aborted on the whole model \(\d+ columns: RuntimeError: Aborted\(/)]);
    expect(plan.solver.status).toBe('time_limit');
    expect(plan.solver.bound).toBeNull();
    expect(plan.assignments).toHaveLength(120);
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
    expect(loads()).toBe(2); // the aborted runtime was replaced by a fresh one

    const next = await solvePlan(problem, { timeLimitSeconds: 2, mipGap: 0 });
    expect(next.solver.notes).toEqual([]); // the whole model ran on the fresh runtime without aborting
    expect(loads()).toBe(2); // and that fresh one is the one in use now
  });
});

describe('a HiGHS abort in the middle of the whole MILP', () => {
  it("keeps HiGHS's last incumbent and bound instead of falling back to the constructive start", async () => {
    // HiGHS beats the constructive plan at the root here; a work budget makes that so on any machine.
    const problem = problemFromRequest(
      generateRequest({ seed: 5, jobs: 20, heaters: 3, utilisation: 0.5, windows: 'tight', slotMinutes: 60 }),
    );
    let constructive: number | undefined;
    let atAbort: number | undefined;
    // A RuntimeError thrown from HiGHS's own callback once it has beaten the constructive plan;
    // highs-js lets the run end and then raises it, as the error of an abort inside the solve.
    const workBudget = { wholeMilpNodes: 1, neighbourhoods: 1, neighbourhoodNodes: 5 };
    const plan = await solvePlan(problem, byWork(workBudget), (p) => {
      if (!p.plan || p.incumbent === undefined) return;
      if (constructive === undefined) constructive = p.incumbent;
      else if (atAbort === undefined && p.incumbent < constructive - 1e-6) {
        atAbort = p.incumbent;
        throw new (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly.RuntimeError(
          'Aborted(test: inside the solve)',
        );
      }
    });
    expect(atAbort).toBeLessThan(constructive!);
    expect(plan.solver.notes).toEqual([
      expect.stringMatching(
        /^HiGHS aborted on the whole model \(\d+ columns: RuntimeError: Aborted\(test: inside the solve\)\); the plan continues from HiGHS's last incumbent \(objective [\d.]+\) with neighbourhood search, with HiGHS's last bound \([\d.]+\)$/,
      ),
      expect.stringContaining('deterministic: the search ended at its work budget'),
    ]);
    expect(Number(/incumbent \(objective ([\d.]+)\)/.exec(plan.solver.notes[0])![1])).toBeLessThanOrEqual(atAbort! + 0.005);
    expect(plan.solver.objective).toBeLessThanOrEqual(atAbort! + 1e-6);
    expect(plan.solver.bound).not.toBeNull();
    expect(plan.solver.bound!).toBeLessThanOrEqual(plan.solver.objective!);
    expect(plan.assignments).toHaveLength(20);
    expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
  });
});
