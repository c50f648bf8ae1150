import highsModule, { type Highs } from 'highs';
import prand from 'pure-rand';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { toAssignment } from '../../domain/heating.ts';
import { loadProfile, peakByCategory } from '../../domain/load.ts';
import type { OptimizedSchedule, SolverStatus } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { chosenFromVector, constructPlan, planObjective, toColumnVector, type ColumnPlan } from './construct.ts';
import { assembleMilp, buildMilp, columnsByJob, type Milp, type StartColumn } from './milp.ts';

export interface SolveOptions {
  timeLimitSeconds: number;
  mipGap: number;
  /** Fixed so that the same problem gives the same plan on every machine. */
  randomSeed?: number;
  /** Start HiGHS from the constructive plan (default). Off only to measure the bare MILP. */
  constructiveStart?: boolean;
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
/**
 * Models up to this many columns get the whole time limit as one MILP: measured on 120 jobs × 6
 * heaters (26.5k columns, 30 s), HiGHS's own search ends 37 % below neighbourhood search. Larger
 * models rarely finish the root LP in time, so they get LARGE_MODEL_MILP_SHARE of it, then LNS.
 */
const WHOLE_MILP_MAX_COLUMNS = 40_000;
const LARGE_MODEL_MILP_SHARE = 0.3;
/** Time limit of one neighbourhood re-optimisation. */
const NEIGHBOURHOOD_SECONDS = 1;
/** Jobs freed per neighbourhood. */
const NEIGHBOURHOOD_JOBS = 16;
/** Neighbourhoods in a row without improvement after which the search stops early. */
const MAX_STALL = 40;

type Model = ReturnType<Highs['createModel']>;

/**
 * Builds the MILP and solves it in three phases (see MODEL.md): a constructive plan, the whole
 * MILP from that plan for part of the time (which also yields the lower bound), then
 * large-neighbourhood search until the time limit. Throws E003 when no plan exists and E002 when
 * none was found in time.
 */
export async function solvePlan(problem: PlanningProblem, options: SolveOptions, onProgress?: (p: SolveProgress) => void): Promise<OptimizedSchedule> {
  const started = performance.now();
  const deadline = started + options.timeLimitSeconds * 1000;
  const milp = buildMilp(problem);
  const jobCount = problem.schedule.jobs.length;
  let best: ColumnPlan | null = options.constructiveStart === false ? null : constructPlan(problem, milp);
  const highs = await loadHighs();
  const { callbackType, modelStatus } = highs.constants;

  let lastReport = -Infinity;
  let bound: number | undefined;
  const report = (p: Omit<SolveProgress, 'elapsedMs'>, force = false) => {
    const now = performance.now();
    if (!onProgress || (!force && now - lastReport < PROGRESS_EVERY_MS)) return;
    lastReport = now;
    onProgress({ elapsedMs: Math.round(now - started), ...p });
  };
  if (best) report({ incumbent: best.objective }, true);

  const model = createModel(highs, milp);
  try {
    model.options.set({ output_flag: false, mip_rel_gap: options.mipGap, random_seed: options.randomSeed ?? 0 });

    // Phase 1: the whole MILP, from the constructive plan.
    const remaining = () => (deadline - performance.now()) / 1000;
    const fullSeconds =
      milp.numCols <= WHOLE_MILP_MAX_COLUMNS || options.timeLimitSeconds <= 5
        ? options.timeLimitSeconds
        : Math.max(5, options.timeLimitSeconds * LARGE_MODEL_MILP_SHARE);
    model.options.set('time_limit', Math.max(0, Math.min(fullSeconds, remaining())));
    if (best) model.setSolution({ colValue: toColumnVector(problem, milp, best.chosen) });
    const status = model.run({
      [callbackType.mipImprovingSolution]: (e) => void report({ incumbent: e.data.objective_function_value, bound: e.data.mip_dual_bound, gap: e.data.mip_gap }, true),
      // Fires at every MIP checkpoint (mipLogging stays silent with output_flag off); we never interrupt.
      [callbackType.mipInterrupt]: (e) => void report({ incumbent: e.data.mip_primal_bound, bound: e.data.mip_dual_bound, gap: e.data.mip_gap }),
    }).modelStatus;
    if (status === modelStatus.infeasible || status === modelStatus.unboundedOrInfeasible) {
      throw new DomainError(
        ErrorCode.INFEASIBLE_PROBLEM,
        `No feasible plan: the ${jobCount} jobs cannot all meet their deadlines with the heaters' availability` +
          (problem.settings.peakLimitKw !== undefined ? ` and the ${problem.settings.peakLimitKw} kW peak limit` : ''),
      );
    }
    best = better(best, readPlan(highs, model, problem, milp, jobCount));
    const dualBound = Number(model.info.get('mip_dual_bound'));
    if (Number.isFinite(dualBound)) bound = dualBound;
    if (!best) {
      if (status === modelStatus.timeLimit || status === modelStatus.interrupted) {
        throw new DomainError(ErrorCode.SOLVER_TIMEOUT, `No plan found within solverTimeLimitSeconds=${options.timeLimitSeconds}; raise the limit or split the schedule`);
      }
      throw new Error(`HiGHS ended with model status ${status} and no solution`);
    }

    // Phase 2: large-neighbourhood search, unless the MILP already proved its plan optimal.
    let proved = status === modelStatus.optimal;
    if (!proved) {
      best = improveByNeighbourhoods(highs, problem, milp, best, deadline, options.randomSeed ?? 0, (incumbent) =>
        report({ incumbent, bound, gap: bound === undefined ? undefined : relativeGap(incumbent, bound) }, true),
      );
      proved = bound !== undefined && relativeGap(best.objective, bound) <= options.mipGap;
    }
    return toSchedule(problem, milp, best, proved ? 'optimal' : 'time_limit', proved ? best.objective : bound, model);
  } catch (err) {
    // An aborted WebAssembly module is unusable: load a fresh one next time.
    if ((err instanceof Error && err.name === 'RuntimeError') || /Aborted/.test(String(err))) loading = undefined;
    throw err;
  } finally {
    model.dispose();
  }
}

/**
 * Repeatedly frees a neighbourhood of jobs (those running in a random time window, on two random
 * heaters, or picked at random), holds every other job where it is, and solves the small MILP of
 * the freed jobs around them from the current plan. Keeps strict improvements; stops at the
 * deadline or when MAX_STALL neighbourhoods in a row bring nothing.
 */
function improveByNeighbourhoods(
  highs: Highs,
  problem: PlanningProblem,
  milp: Milp,
  start: ColumnPlan,
  deadline: number,
  seed: number,
  onImprove: (objective: number) => void,
): ColumnPlan {
  const jobCount = problem.schedule.jobs.length;
  if (jobCount < 2) return start;
  const rng = prand.xoroshiro128plus(seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const heaterIds = problem.equipment.map((e) => e.id);
  const windowSlots = Math.max(1, Math.round((4 * 60) / problem.grid.slotMinutes));
  const byJob = columnsByJob(milp, jobCount);
  let best = start;
  let stall = 0;
  for (let round = 0; stall < MAX_STALL; round++) {
    const seconds = Math.min(NEIGHBOURHOOD_SECONDS, (deadline - performance.now()) / 1000);
    if (seconds < 0.1) break;
    const free = [...neighbourhood(round % 3, best, milp, jobCount, heaterIds, windowSlots, problem.grid.slotCount, int)];
    const found = reoptimise(highs, problem, milp, best, free, byJob, seconds);
    if (found && found.objective < best.objective - 1e-6 * Math.max(1, Math.abs(best.objective))) {
      best = found;
      stall = 0;
      onImprove(best.objective);
    } else stall++;
  }
  return best;
}

/** Solves the sub-MILP of the `free` jobs with all others held in place; the full plan it gives, if any. */
function reoptimise(highs: Highs, problem: PlanningProblem, milp: Milp, plan: ColumnPlan, free: number[], byJob: number[][], seconds: number): ColumnPlan | null {
  const { grid, settings } = problem;
  const isFree = new Set(free);
  const fixedLoad = new Float64Array(grid.slotCount).fill(settings.baseLoadKw);
  const busy = new Map(problem.equipment.map((e) => [e.id, new Uint8Array(grid.slotCount)]));
  plan.chosen.forEach((col, job) => {
    if (isFree.has(job)) return;
    const { option, start } = milp.startColumns[col];
    for (let t = start; t < start + option.durationSlots; t++) {
      busy.get(option.equipmentId)![t] = 1;
      fixedLoad[t] += option.electricKw;
    }
  });
  const limit = settings.peakLimitKw ?? Infinity;
  const subColumns: StartColumn[] = [];
  const fullColumn: number[] = [];
  const current: number[] = [];
  free.forEach((job, k) => {
    for (const col of byJob[job]) {
      const { option, start } = milp.startColumns[col];
      const heaterBusy = busy.get(option.equipmentId)!;
      let fits = true;
      for (let t = start; t < start + option.durationSlots && fits; t++) fits = !heaterBusy[t] && fixedLoad[t] + option.electricKw <= limit + 1e-9;
      if (!fits) continue;
      if (col === plan.chosen[job]) current[k] = subColumns.length;
      subColumns.push({ jobIndex: k, option, start });
      fullColumn.push(col);
    }
  });
  const sub = assembleMilp(problem, subColumns, free.length, fixedLoad);
  const model = createModel(highs, sub);
  try {
    model.options.set({ output_flag: false, time_limit: seconds, mip_rel_gap: 0, random_seed: 0 });
    model.setSolution({ colValue: toColumnVector(problem, sub, current, fixedLoad) });
    model.run();
    if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return null;
    const picked = chosenFromVector(sub, free.length, model.getSolution().colValue);
    if (picked.some((col) => col < 0)) return null;
    const chosen = [...plan.chosen];
    free.forEach((job, k) => (chosen[job] = fullColumn[picked[k]]));
    return { chosen, objective: planObjective(problem, milp, chosen) };
  } finally {
    model.dispose();
  }
}

/** Job indices to free: kind 0 a time window, 1 two heaters, 2 random jobs; topped up at random. */
function neighbourhood(
  kind: number,
  plan: ColumnPlan,
  milp: Milp,
  jobCount: number,
  heaterIds: string[],
  windowSlots: number,
  slotCount: number,
  int: (lo: number, hi: number) => number,
): Set<number> {
  const candidates: number[] = [];
  if (kind === 0) {
    const from = int(0, Math.max(0, slotCount - windowSlots));
    plan.chosen.forEach((col, job) => {
      const { start, option } = milp.startColumns[col];
      if (start < from + windowSlots && start + option.durationSlots > from) candidates.push(job);
    });
  } else if (kind === 1 && heaterIds.length > 1) {
    const a = heaterIds[int(0, heaterIds.length - 1)];
    const b = heaterIds[int(0, heaterIds.length - 1)];
    plan.chosen.forEach((col, job) => {
      const heater = milp.startColumns[col].option.equipmentId;
      if (heater === a || heater === b) candidates.push(job);
    });
  }
  // Shuffle the candidates, keep at most NEIGHBOURHOOD_JOBS, and top up with random jobs.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = int(0, i);
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const free = new Set(candidates.slice(0, NEIGHBOURHOOD_JOBS));
  const target = Math.min(jobCount, Math.max(2, Math.min(NEIGHBOURHOOD_JOBS, Math.ceil(jobCount / 2))));
  while (free.size < target) free.add(int(0, jobCount - 1));
  return free;
}

/** HiGHS's current primal solution as a plan, if it has one that places every job. */
function readPlan(highs: Highs, model: Model, problem: PlanningProblem, milp: Milp, jobCount: number): ColumnPlan | null {
  if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return null;
  const chosen = chosenFromVector(milp, jobCount, model.getSolution().colValue);
  if (chosen.some((col) => col < 0)) return null;
  return { chosen, objective: planObjective(problem, milp, chosen) };
}

/** A HiGHS model of the MILP (dispose it when done: WASM memory is not garbage-collected). */
function createModel(highs: Highs, milp: Milp): Model {
  return highs.createModel({
    numCols: milp.numCols,
    numRows: milp.numRows,
    colCost: milp.colCost,
    colLower: milp.colLower,
    colUpper: milp.colUpper,
    rowLower: milp.rowLower,
    rowUpper: milp.rowUpper,
    integrality: milp.integrality,
    matrix: { format: 'csc', numRows: milp.numRows, numCols: milp.numCols, starts: milp.starts, indices: milp.indices, values: milp.values },
  });
}

function better(a: ColumnPlan | null, b: ColumnPlan | null): ColumnPlan | null {
  if (!a) return b;
  if (!b) return a;
  return b.objective < a.objective ? b : a;
}

const relativeGap = (objective: number, bound: number) => Math.max(0, objective - bound) / Math.max(Math.abs(objective), 1e-9);

function toSchedule(problem: PlanningProblem, milp: Milp, plan: ColumnPlan, status: SolverStatus, bound: number | undefined, model: Model): OptimizedSchedule {
  const energyRates = problem.slots.map((s) => s.energyRate);
  const assignments = plan.chosen
    .map((col) => toAssignment(milp.startColumns[col].option, milp.startColumns[col].start, problem.grid, energyRates))
    .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
  const load = loadProfile(problem, assignments);
  const honestBound = bound === undefined ? null : Math.min(bound, plan.objective);
  const dimensions = model.getDimensions();
  return {
    assignments,
    unscheduled: [],
    loadProfileKw: load,
    peakKw: Math.max(...load),
    peakByCategoryKw: Object.fromEntries(peakByCategory(problem, load)),
    solver: {
      name: 'highs',
      status,
      objective: plan.objective,
      bound: honestBound,
      gap: honestBound === null ? null : relativeGap(plan.objective, honestBound),
      columns: dimensions.numCols,
      rows: dimensions.numRows,
      nonzeros: dimensions.numNonzeros,
    },
  };
}
