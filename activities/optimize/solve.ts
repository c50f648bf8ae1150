import highsModule, { type Highs } from 'highs';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { toAssignment } from '../../domain/heating.ts';
import { loadProfile, peakByCategory } from '../../domain/load.ts';
import type { OptimizedSchedule, SolverStatus } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { buildMilp, chosenColumns } from './milp.ts';

export interface SolveOptions {
  timeLimitSeconds: number;
  mipGap: number;
  /** Fixed so that the same problem gives the same plan on every machine. */
  randomSeed?: number;
}

export interface SolveProgress {
  elapsedMs: number;
  incumbent?: number;
  bound?: number;
  gap?: number;
}

// highs types its ESM default export as a CommonJS namespace; at run time it is the loader.
const highsLoader = highsModule as unknown as typeof highsModule.default;

let loading: Promise<Highs> | undefined;

/** One WebAssembly instance per thread; dropped after a crash so the next solve starts clean. */
async function loadHighs(): Promise<Highs> {
  const pending = (loading ??= highsLoader());
  try {
    return await pending;
  } catch (err) {
    loading = undefined;
    throw err;
  }
}

const PROGRESS_EVERY_MS = 250;

/** Builds and solves the MILP for `problem`; throws E003 when no plan exists and E002 when none was found in time. */
export async function solvePlan(problem: PlanningProblem, options: SolveOptions, onProgress?: (p: SolveProgress) => void): Promise<OptimizedSchedule> {
  const milp = buildMilp(problem);
  const highs = await loadHighs();
  const started = performance.now();
  const model = highs.createModel({
    numCols: milp.numCols,
    numRows: milp.numRows,
    colCost: milp.colCost,
    colLower: milp.colLower,
    colUpper: milp.colUpper,
    rowLower: milp.rowLower,
    rowUpper: milp.rowUpper,
    integrality: milp.integrality as Int32Array,
    matrix: { format: 'csc', numRows: milp.numRows, numCols: milp.numCols, starts: milp.starts, indices: milp.indices, values: milp.values },
  });
  try {
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.mipGap,
      random_seed: options.randomSeed ?? 0,
    });
    if (milp.warmStart) model.setSolution({ colValue: milp.warmStart });
    let lastReport = -Infinity;
    const report = (p: Omit<SolveProgress, 'elapsedMs'>, force = false) => {
      const now = performance.now();
      if (!onProgress || (!force && now - lastReport < PROGRESS_EVERY_MS)) return;
      lastReport = now;
      onProgress({ elapsedMs: Math.round(now - started), ...p });
    };
    const { callbackType, modelStatus } = highs.constants;
    const result = model.run({
      [callbackType.mipImprovingSolution]: (e) => {
        report({ incumbent: e.data.objective_function_value, bound: e.data.mip_dual_bound, gap: e.data.mip_gap }, true);
      },
      // Fires at every MIP checkpoint (mipLogging stays silent with output_flag off); we never interrupt.
      [callbackType.mipInterrupt]: (e) => {
        report({ incumbent: e.data.mip_primal_bound, bound: e.data.mip_dual_bound, gap: e.data.mip_gap });
      },
    });

    const status = result.modelStatus;
    if (status === modelStatus.infeasible || status === modelStatus.unboundedOrInfeasible) {
      throw new DomainError(
        ErrorCode.INFEASIBLE_PROBLEM,
        `No feasible plan: the ${problem.schedule.jobs.length} jobs cannot all meet their deadlines with the heaters' availability` +
          (problem.settings.peakLimitKw !== undefined ? ` and the ${problem.settings.peakLimitKw} kW peak limit` : ''),
      );
    }
    const hasSolution = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    if (!hasSolution) {
      if (status === modelStatus.timeLimit || status === modelStatus.interrupted) {
        throw new DomainError(
          ErrorCode.SOLVER_TIMEOUT,
          `No plan found within solverTimeLimitSeconds=${options.timeLimitSeconds}; raise the limit or split the schedule`,
        );
      }
      throw new Error(`HiGHS ended with model status ${status} and no solution`);
    }
    const { colValue } = model.getSolution();
    const chosen = chosenColumns(milp, colValue);
    if (chosen.length !== problem.schedule.jobs.length) {
      throw new Error(`HiGHS solution places ${chosen.length} of ${problem.schedule.jobs.length} jobs`);
    }
    const energyRates = problem.slots.map((s) => s.energyRate);
    const assignments = chosen
      .map((c) => toAssignment(c.option, c.start, problem.grid, energyRates))
      .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
    const load = loadProfile(problem, assignments);
    const objective = model.getObjectiveValue();
    const bound = Number(model.info.get('mip_dual_bound'));
    const gap = status === modelStatus.optimal ? 0 : Number(model.info.get('mip_gap'));
    const dimensions = model.getDimensions();
    return {
      assignments,
      unscheduled: [],
      loadProfileKw: load,
      peakKw: Math.max(...load),
      peakByCategoryKw: Object.fromEntries(peakByCategory(problem, load)),
      solver: {
        name: 'highs',
        status: solverStatus(status, modelStatus),
        objective,
        bound: Number.isFinite(bound) ? bound : null,
        gap: Number.isFinite(gap) ? gap : null,
        columns: dimensions.numCols,
        rows: dimensions.numRows,
        nonzeros: dimensions.numNonzeros,
      },
    };
  } catch (err) {
    // An aborted WebAssembly module is unusable: load a fresh one next time.
    if ((err instanceof Error && err.name === 'RuntimeError') || /Aborted/.test(String(err))) loading = undefined;
    throw err;
  } finally {
    model.dispose();
  }
}

function solverStatus(status: number, codes: Highs['constants']['modelStatus']): SolverStatus {
  if (status === codes.optimal) return 'optimal';
  if (status === codes.interrupted) return 'interrupted';
  return 'time_limit';
}
