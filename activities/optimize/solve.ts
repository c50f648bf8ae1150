import highsModule, { type Highs } from 'highs';
import prand from 'pure-rand';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { toAssignment } from '../../domain/heating.ts';
import { loadProfile, peakByCategory } from '../../domain/load.ts';
import type { OptimizedSchedule, SolverStatus } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { findConflict, type Conflict } from './conflict.ts';
import { chosenFromVector, constructPlan, planObjective, toColumnVector, type ColumnPlan } from './construct.ts';
import { assembleMilp, buildMilp, columnsByJob, runKey, type Milp, type ModelContext } from './milp.ts';
import { blockedReason, PlanState, runEnd, type Run } from '../../domain/plan-state.ts';
import type { UnscheduledJob } from '../../domain/plan.ts';

export interface SolveOptions {
  timeLimitSeconds: number;
  mipGap: number;
  /** Fixed so that the same problem gives the same plan on every machine. */
  randomSeed?: number;
  /** A plan an earlier attempt found (`encodePlan`): used when it is valid and better than the constructive one. */
  resumeFrom?: number[] | null;
  /** Largest model that gets the whole time limit as one MILP (default WHOLE_MILP_MAX_COLUMNS); larger ones go to neighbourhood search sooner. */
  wholeMilpMaxColumns?: number;
  /** Start HiGHS from the constructive plan (default). Off only to measure the bare MILP. */
  constructiveStart?: boolean;
  /** Bound the search by this work instead of the clock (default with `settings.deterministic`: `workBudgetFor` the time limit); the time limit stays as a safety stop. */
  workBudget?: WorkBudget;
}

export interface WorkBudget {
  /** Branch-and-bound nodes of the whole MILP. */
  wholeMilpNodes: number;
  /** Neighbourhoods re-optimised after it… */
  neighbourhoods: number;
  /** …each for at most this many nodes. */
  neighbourhoodNodes: number;
}

/**
 * Work that takes about `seconds` on a 50-job day with every operating rule (10k columns) on one
 * core of this 2-core machine, measured: HiGHS's root node alone takes about 25 s there and a node
 * after it 1-2 s; a 16-job neighbourhood of up to 50 nodes about 4 s. Smaller days finish
 * sooner; larger ones may reach the time limit first (the plan then says so).
 */
export function workBudgetFor(seconds: number): WorkBudget {
  return {
    wholeMilpNodes: Math.max(1, Math.round(seconds / 10)),
    neighbourhoods: Math.max(3, Math.round(seconds / 8)),
    neighbourhoodNodes: 50,
  };
}

export interface SolveProgress {
  elapsedMs: number;
  /** The incumbent plan (`encodePlan`), sent whenever it improves, so that a restarted attempt can resume from it. */
  plan?: number[];
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
 * Models up to this many columns get the whole time limit as one MILP: HiGHS's own search beats
 * neighbourhood search there (60 s, 2 cores: 500 jobs × 12 heaters, 61k columns: 12,842 against
 * 19,735 with 30 % MILP + LNS; 200 × 8, 68k columns: 9,783 against 12,430). Larger models rarely
 * finish the root LP in time, so they get LARGE_MODEL_MILP_SHARE of it, then LNS.
 */
const WHOLE_MILP_MAX_COLUMNS = 100_000;
const LARGE_MODEL_MILP_SHARE = 0.3;
/** Share of the time limit that randomised constructive restarts (makespan mode) may take. */
const CONSTRUCTIVE_SHARE = 0.25;
/** Time limit of one neighbourhood re-optimisation. */
const NEIGHBOURHOOD_SECONDS = 1;
/** Jobs freed per neighbourhood. */
const NEIGHBOURHOOD_JOBS = 16;
/** Neighbourhoods in a row without improvement after which the search stops early. */
const MAX_STALL = 40;
/** …or, in large problems, as many as it takes to free every job about once. */
const maxStall = (jobs: number) => Math.max(MAX_STALL, Math.ceil(jobs / NEIGHBOURHOOD_JOBS));

type Model = ReturnType<Highs['createModel']>;

/**
 * Builds the MILP and solves it in three phases (see MODEL.md): a constructive plan, the whole
 * MILP from that plan for part of the time (which also yields the lower bound), then
 * large-neighbourhood search until the time limit. Throws E003 when no plan exists and E002 when
 * none was found in time.
 */
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export async function solvePlan(
  problem: PlanningProblem,
  options: SolveOptions,
  onProgress?: (p: SolveProgress) => void,
): Promise<OptimizedSchedule> {
  const started = performance.now();
  const deadline = started + options.timeLimitSeconds * 1000;
  const { settings } = problem;
  let { milp, context } = buildMilp(problem);
  const jobCount = problem.schedule.jobs.length;
  const constructUntil = started + options.timeLimitSeconds * 1000 * CONSTRUCTIVE_SHARE;
  const budget = options.workBudget ?? (settings.deterministic ? workBudgetFor(options.timeLimitSeconds) : undefined);
  // With a work budget nothing may depend on the clock: the constructive plans run to the end, unless the time limit comes first.
  let best: ColumnPlan | null =
    options.constructiveStart === false ? null : constructPlan(problem, context, milp, { until: budget ? deadline : constructUntil });
  /** Set when the clock, not the work budget, ended a phase: the plan may then differ between runs. */
  let stoppedByClock = budget !== undefined && performance.now() >= deadline;
  const notes: string[] = [];
  if (options.resumeFrom && budget)
    notes.push("deterministic: an earlier attempt's plan is not resumed from, so that the plan depends on the input only");
  else if (options.resumeFrom) {
    const resumed = decodePlan(problem, context, milp, options.resumeFrom);
    if (!resumed) notes.push('the plan an earlier attempt heartbeated does not fit this problem; started afresh');
    else if (!best || resumed.objective <= best.objective + 1e-9) {
      best = resumed;
      notes.push(`resumed from the plan an earlier attempt heartbeated (objective ${resumed.objective.toFixed(2)})`);
    }
  }
  if (best && settings.objective === 'minimize_makespan' && isComplete(milp, best)) {
    // No run ending after the constructive plan's makespan can improve on it: rebuild without them.
    const makespan = best.chosen.reduce((m, col) => (col >= 0 ? Math.max(m, runEnd(milp.runs[col])) : m), 0);
    const wide = milp;
    ({ milp, context } = buildMilp(problem, { latestEnd: makespan }));
    const key = (r: Run) => runKey(r.jobIndex, r.option.equipmentId, r.start, r.option.durationSlots);
    const column = new Map(milp.runs.map((r, col) => [key(r), col]));
    const chosen = best.chosen.map((col) => (col < 0 ? -1 : column.get(key(wide.runs[col]))!));
    best = { chosen, objective: planObjective(problem, context, milp, chosen) };
  }
  if (!milp.jobs.length)
    return toSchedule(problem, context, milp, { chosen: new Array(jobCount).fill(-1), objective: 0 }, null, 'no_jobs', undefined);
  // Leaving jobs out is only an option when no complete plan is known yet.
  const allowSkip = !best || !isComplete(milp, best);
  if (!allowSkip) for (const col of milp.skipColumns.values()) milp.colUpper[col] = 0;

  let highs = await loadHighs();
  const { modelStatus } = highs.constants;
  let lastReport = -Infinity;
  let bound: number | undefined;
  const report = (p: Omit<SolveProgress, 'elapsedMs'>, force = false) => {
    const now = performance.now();
    if (!onProgress || (!force && now - lastReport < PROGRESS_EVERY_MS)) return;
    lastReport = now;
    onProgress({ elapsedMs: Math.round(now - started), ...p });
  };
  const improved = (plan: ColumnPlan | null, p: Omit<SolveProgress, 'elapsedMs' | 'plan'>) =>
    report({ ...p, plan: plan ? encodePlan(problem, milp, plan) : undefined }, true);
  improved(best, { incumbent: best?.objective });

  // Phase 1: the whole MILP, from the constructive plan.
  const fullSeconds =
    milp.numCols <= (options.wholeMilpMaxColumns ?? WHOLE_MILP_MAX_COLUMNS) || options.timeLimitSeconds <= 5
      ? options.timeLimitSeconds
      : Math.max(5, options.timeLimitSeconds * LARGE_MODEL_MILP_SHARE);
  let proved = false;
  if (context.restricted && best) {
    // Too large for one model: its bound would not bind the whole problem anyway. Neighbourhoods only.
    bound = context.restricted.bound ?? undefined;
    notes.push(
      `${context.restricted.of.toLocaleString('en-US')} possible runs, more than one model takes: each job kept its cheapest heaters and some others ` +
        `(${context.restricted.kept.toLocaleString('en-US')} runs); improved by neighbourhood search; the bound counts each job at its cheapest run`,
    );
  } else {
    // A work budget ends this phase by its nodes; the time limit only as a safety stop.
    const seconds = Math.min(budget ? Infinity : fullSeconds, (deadline - performance.now()) / 1000);
    const whole = runWholeMilp(
      highs,
      problem,
      context,
      milp,
      best,
      { seconds, mipGap: options.mipGap, seed: options.randomSeed ?? 0, nodes: budget?.wholeMilpNodes },
      improved,
      report,
    );
    stoppedByClock ||= whole.status === modelStatus.timeLimit;
    if (whole.aborted) {
      // The runtime aborted (out of WebAssembly memory, or an internal error): carry on with small
      // models from the best plan so far, HiGHS's last incumbent included, and its last bound.
      const fromHighs = whole.plan !== null && better(best, whole.plan) === whole.plan;
      best = better(best, whole.plan);
      if (!best) throw crashed(whole.aborted);
      bound = whole.bound;
      notes.push(
        `HiGHS aborted on the whole model (${milp.numCols} columns: ${String(whole.aborted)}); the plan continues from ` +
          (fromHighs ? `HiGHS's last incumbent (objective ${best.objective.toFixed(2)})` : 'the constructive start') +
          ` with neighbourhood search, ${bound === undefined ? 'without a lower bound' : `with HiGHS's last bound (${bound.toFixed(2)})`}`,
      );
      highs = await loadHighs();
    } else {
      best = better(best, whole.plan);
      bound = whole.bound;
      proved = whole.status === modelStatus.optimal;
      if (!best) {
        if (whole.status === modelStatus.timeLimit || whole.status === modelStatus.interrupted) {
          throw new DomainError(
            ErrorCode.SOLVER_TIMEOUT,
            `No plan found within solverTimeLimitSeconds=${options.timeLimitSeconds}; raise the limit or split the schedule`,
          );
        }
        if (whole.status === modelStatus.solutionLimit) {
          throw new DomainError(
            ErrorCode.SOLVER_TIMEOUT,
            `No plan found within the deterministic work budget (${budget?.wholeMilpNodes} nodes for solverTimeLimitSeconds=${options.timeLimitSeconds}); raise the limit or split the schedule`,
          );
        }
        throw new Error(`HiGHS ended with model status ${whole.status} and no solution`);
      }
    }
  }

  // Phase 2: large-neighbourhood search, unless the MILP already proved its plan optimal.
  if (!proved) {
    try {
      const search = improveByNeighbourhoods(
        highs,
        problem,
        context,
        milp,
        best,
        { deadline, seed: options.randomSeed ?? 0, budget },
        (plan) =>
          improved(plan, { incumbent: plan.objective, bound, gap: bound === undefined ? undefined : relativeGap(plan.objective, bound) }),
      );
      best = search.plan;
      stoppedByClock ||= search.stoppedByClock;
    } catch (err) {
      if (!isWasmAbort(err)) throw err;
      notes.push(`HiGHS aborted during neighbourhood search (${String(err)}); the plan is the best found before`);
    }
    proved = bound !== undefined && relativeGap(best.objective, bound) <= options.mipGap;
  }
  if (budget && !proved) {
    notes.push(
      stoppedByClock
        ? `deterministic: the time limit (${options.timeLimitSeconds} s) stopped the search before its work budget (${describeBudget(budget)}); another run may give another plan: raise solverTimeLimitSeconds`
        : `deterministic: the search ended at its work budget (${describeBudget(budget)}), not on the clock: the same input gives this plan on any machine`,
    );
  }
  const conflict = isComplete(milp, best) || context.restricted ? null : conflictIn(highs, problem, context, milp, best.chosen);
  if (settings.allOrNothing && !isComplete(milp, best)) throw incompletePlan(problem, context, milp, best, conflict, proved, options);
  const status = proved ? 'optimal' : budget && !stoppedByClock ? 'work_limit' : 'time_limit';
  return toSchedule(problem, context, milp, best, conflict, status, proved ? best.objective : bound, notes);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const describeBudget = (b: WorkBudget) =>
  `${count(b.wholeMilpNodes, 'node')} of the whole model, ${count(b.neighbourhoods, 'neighbourhood')} of up to ${count(b.neighbourhoodNodes, 'node')}`;

interface WholeMilpResult {
  status?: number;
  plan: ColumnPlan | null;
  bound: number | undefined;
  /** Set when the WebAssembly runtime aborted; `plan` and `bound` are then the last HiGHS reported. */
  aborted?: unknown;
}

/** The whole MILP from `start` for `seconds`, reporting each incumbent; a runtime abort is returned, not thrown. */
function runWholeMilp(
  highs: Highs,
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  start: ColumnPlan | null,
  { seconds, mipGap, seed, nodes }: { seconds: number; mipGap: number; seed: number; nodes?: number },
  improved: (plan: ColumnPlan | null, p: Omit<SolveProgress, 'elapsedMs' | 'plan'>) => void,
  report: (p: Omit<SolveProgress, 'elapsedMs'>) => void,
): WholeMilpResult {
  const jobCount = problem.schedule.jobs.length;
  const { callbackType } = highs.constants;
  let incumbent: ColumnPlan | null = null;
  let bound: number | undefined;
  const noteBound = (value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) bound = Math.max(bound ?? -Infinity, value);
  };
  try {
    return withModel(highs, milp, (model) => {
      model.options.set({ output_flag: false, mip_rel_gap: mipGap, random_seed: seed, time_limit: Math.max(0, seconds) });
      if (nodes !== undefined) model.options.set({ mip_max_nodes: nodes });
      if (start) model.setSolution({ colValue: toColumnVector(problem, milp, start.chosen, new PlanState(problem, context.rules)) });
      const status = model.run({
        [callbackType.mipImprovingSolution]: (e) => {
          noteBound(e.data.mip_dual_bound);
          if (e.data.mip_solution) {
            const chosen = chosenFromVector(milp, jobCount, e.data.mip_solution);
            incumbent = better(incumbent, { chosen, objective: planObjective(problem, context, milp, chosen) });
          }
          // The plan's own objective: HiGHS's may count a demand column above the plan's peak.
          const objective = e.data.mip_solution ? incumbent?.objective : e.data.objective_function_value;
          improved(e.data.mip_solution ? incumbent : null, { incumbent: objective, bound: e.data.mip_dual_bound, gap: e.data.mip_gap });
        },
        // Fires at every MIP checkpoint (mipLogging stays silent with output_flag off); we never interrupt.
        [callbackType.mipInterrupt]: (e) => {
          noteBound(e.data.mip_dual_bound);
          report({ incumbent: e.data.mip_primal_bound, bound: e.data.mip_dual_bound, gap: e.data.mip_gap });
        },
      }).modelStatus;
      const dualBound = Number(model.info.get('mip_dual_bound'));
      return {
        status,
        plan: readPlan(highs, model, problem, context, milp, jobCount),
        bound: Number.isFinite(dualBound) ? dualBound : undefined,
      };
    });
  } catch (err) {
    if (!isWasmAbort(err)) throw err;
    return { plan: incumbent, bound, aborted: err };
  }
}

/** The conflict HiGHS's IIS names among the jobs left out, if any; HiGHS failing here only costs the explanation. */
function conflictIn(highs: Highs, problem: PlanningProblem, context: ModelContext, milp: Milp, chosen: number[]): Conflict | null {
  try {
    return findConflict(highs, problem, context, milp, chosen);
  } catch (err) {
    // e.g. "getIis failed with HiGHS status -1" on a 200-job day at 95 % utilisation
    if (err instanceof highs.errors.HighsError || isWasmAbort(err)) return null;
    throw err;
  }
}

/** `RuntimeError: Aborted()`: the WebAssembly runtime gave up (out of memory); the instance must not be reused. */
function isWasmAbort(err: unknown): boolean {
  const abort = (err instanceof Error && err.name === 'RuntimeError') || /Aborted\(/.test(String(err));
  if (abort) loading = undefined;
  return abort;
}

/** Thrown when HiGHS aborted and no plan could be saved: retryable (the next attempt runs in a fresh thread). */
export class SolverCrashedError extends Error {
  override name = 'SolverCrashed';
}

function crashed(err: unknown): unknown {
  return isWasmAbort(err) ? new SolverCrashedError(`HiGHS aborted before any plan was found: ${String(err)}`) : err;
}

/** Runs `work` on a HiGHS model of the MILP and disposes of it (WASM memory is not garbage-collected). */
function withModel<T>(highs: Highs, milp: Milp, work: (model: Model) => T): T {
  const model = createModel(highs, milp);
  try {
    return work(model);
  } finally {
    try {
      model.dispose();
    } catch {
      // an aborted runtime may refuse; the instance is dropped anyway
    }
  }
}

/** A plan as numbers that survive a heartbeat: per job, (heater index × (T + 1) + run length) × T + start slot, or -1. */
export function encodePlan(problem: PlanningProblem, milp: Milp, plan: ColumnPlan): number[] {
  const T = problem.grid.slotCount;
  const heaterIndex = new Map(problem.equipment.map((e, i) => [e.id, i]));
  return plan.chosen.map((col) => {
    if (col < 0) return -1;
    const { option, start } = milp.runs[col];
    return (heaterIndex.get(option.equipmentId)! * (T + 1) + option.durationSlots) * T + start;
  });
}

/** The encoded plan in this model's columns, or null when a run is not in the model or the plan breaks a rule. */
function decodePlan(problem: PlanningProblem, context: ModelContext, milp: Milp, encoded: number[]): ColumnPlan | null {
  const T = problem.grid.slotCount;
  if (encoded.length !== problem.schedule.jobs.length) return null;
  const column = new Map(milp.runs.map((r, col) => [runKey(r.jobIndex, r.option.equipmentId, r.start, r.option.durationSlots), col]));
  const state = new PlanState(problem, context.rules);
  const chosen: number[] = [];
  for (const [job, code] of encoded.entries()) {
    if (code < 0) {
      chosen.push(-1);
      continue;
    }
    const heaterAndLength = Math.floor(code / T);
    const col = column.get(
      runKey(job, problem.equipment[Math.floor(heaterAndLength / (T + 1))]?.id ?? '', code % T, heaterAndLength % (T + 1)),
    );
    if (col === undefined || !state.fits(milp.runs[col])) return null;
    state.place(milp.runs[col]);
    chosen.push(col);
  }
  return { chosen, objective: planObjective(problem, context, milp, chosen) };
}

const isComplete = (milp: Milp, plan: ColumnPlan) => milp.jobs.every((j) => plan.chosen[j] >= 0);

/** all-or-nothing without a complete plan: E003 naming the jobs left out when that is proved best, else E002. */
function incompletePlan(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  conflict: Conflict | null,
  proved: boolean,
  options: SolveOptions,
): DomainError {
  const left = unscheduledJobs(problem, context, milp, plan, conflict);
  const jobIndex = new Map(problem.schedule.jobs.map((j, i) => [j.id, i]));
  const problems = left.map((u) => ({
    path: `schedule.jobs[${jobIndex.get(u.jobId)}]`,
    message: `job ${u.jobId} cannot be placed: ${u.reason}`,
  }));
  if (proved) return new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No plan places every job', problems);
  return new DomainError(
    ErrorCode.SOLVER_TIMEOUT,
    `No complete plan found within solverTimeLimitSeconds=${options.timeLimitSeconds}; the best one leaves ${left.length} job(s) out`,
    problems,
  );
}

/**
 * The jobs a plan leaves out, each with why: no heater at all, or which rules block every run it
 * has, and the jobs and rules of HiGHS's conflict it belongs to.
 */
function unscheduledJobs(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  conflict: Conflict | null,
): UnscheduledJob[] {
  const state = new PlanState(problem, context.rules);
  for (const j of milp.jobs) if (plan.chosen[j] >= 0) state.place(milp.runs[plan.chosen[j]]);
  for (const j of milp.jobs) if (plan.chosen[j] < 0) state.skip(j);
  const byJob = columnsByJob(milp, problem.schedule.jobs.length);
  const left = milp.jobs
    .filter((j) => plan.chosen[j] < 0)
    .map((j) => {
      const reason = blockedReason(
        state,
        byJob[j].map((col) => milp.runs[col]),
      );
      return { jobId: problem.schedule.jobs[j].id, reason: conflict?.jobs.has(j) ? `${reason}; ${conflict.text}` : reason };
    });
  return [...context.unplaceable, ...left];
}

/**
 * Repeatedly frees a neighbourhood of jobs (those running in a random time window, on two random
 * heaters, or picked at random), holds every other job where it is, and solves the small MILP of
 * the freed jobs around them from the current plan. Keeps strict improvements; stops at the
 * deadline or when `maxStall` neighbourhoods in a row bring nothing, or, with a work budget, after
 * its neighbourhoods (each then limited by nodes, the deadline only a safety stop).
 */
function improveByNeighbourhoods(
  highs: Highs,
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  start: ColumnPlan,
  { deadline, seed, budget }: { deadline: number; seed: number; budget?: WorkBudget },
  onImprove: (plan: ColumnPlan) => void,
): { plan: ColumnPlan; stoppedByClock: boolean } {
  const jobCount = problem.schedule.jobs.length;
  if (milp.jobs.length < 2) return { plan: start, stoppedByClock: false };
  const rng = prand.xoroshiro128plus(seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const heaterIds = problem.equipment.map((e) => e.id);
  const windowSlots = Math.max(1, Math.round((4 * 60) / problem.grid.slotMinutes));
  const byJob = columnsByJob(milp, jobCount);
  let best = start;
  let stall = 0;
  const stallLimit = maxStall(milp.jobs.length);
  for (let round = 0; stall < stallLimit && (!budget || round < budget.neighbourhoods); round++) {
    const left = (deadline - performance.now()) / 1000;
    if (left < 0.1) return { plan: best, stoppedByClock: true };
    const free = [...neighbourhood(round % 3, best, milp, heaterIds, windowSlots, problem.grid.slotCount, int)];
    const limits = budget ? { seconds: left, nodes: budget.neighbourhoodNodes } : { seconds: Math.min(NEIGHBOURHOOD_SECONDS, left) };
    const { plan: found, stoppedByClock } = reoptimise(highs, problem, context, milp, best, free, byJob, limits);
    if (budget && stoppedByClock) return { plan: best, stoppedByClock };
    if (found && found.objective < best.objective - 1e-6 * Math.max(1, Math.abs(best.objective))) {
      best = found;
      stall = 0;
      onImprove(best);
    } else stall++;
  }
  return { plan: best, stoppedByClock: false };
}

/** Solves the sub-MILP of the `free` jobs with all others held in place; the full plan it gives, if any. */
function reoptimise(
  highs: Highs,
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  free: number[],
  byJob: number[][],
  { seconds, nodes }: { seconds: number; nodes?: number },
): { plan: ColumnPlan | null; stoppedByClock: boolean } {
  const isFree = new Set(free);
  const fixed = new PlanState(problem, context.rules);
  for (const j of milp.jobs) {
    if (isFree.has(j)) continue;
    if (plan.chosen[j] >= 0) fixed.place(milp.runs[plan.chosen[j]]);
    else fixed.skip(j);
  }
  const subRuns: Run[] = [];
  const fullColumn: number[] = [];
  const current = new Array<number>(problem.schedule.jobs.length).fill(-1);
  for (const j of free) {
    for (const col of byJob[j]) {
      if (!fixed.fits(milp.runs[col])) continue;
      if (col === plan.chosen[j]) current[j] = subRuns.length;
      subRuns.push(milp.runs[col]);
      fullColumn.push(col);
    }
  }
  const allowSkip = !isComplete(milp, plan);
  const sub = assembleMilp(problem, context, subRuns, free, fixed, allowSkip);
  return withModel(highs, sub, (model) => {
    model.options.set({ output_flag: false, time_limit: seconds, mip_rel_gap: 0, random_seed: 0 });
    if (nodes !== undefined) model.options.set({ mip_max_nodes: nodes });
    model.setSolution({ colValue: toColumnVector(problem, sub, current, fixed) });
    const stoppedByClock = model.run().modelStatus === highs.constants.modelStatus.timeLimit;
    if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return { plan: null, stoppedByClock };
    const picked = chosenFromVector(sub, problem.schedule.jobs.length, model.getSolution().colValue);
    if (!allowSkip && free.some((j) => picked[j] < 0)) return { plan: null, stoppedByClock };
    const chosen = [...plan.chosen];
    for (const j of free) chosen[j] = picked[j] < 0 ? -1 : fullColumn[picked[j]];
    return { plan: { chosen, objective: planObjective(problem, context, milp, chosen) }, stoppedByClock };
  });
}

/** Job indices to free: kind 0 a time window, 1 two heaters, 2 random jobs; topped up at random. */
function neighbourhood(
  kind: number,
  plan: ColumnPlan,
  milp: Milp,
  heaterIds: string[],
  windowSlots: number,
  slotCount: number,
  int: (lo: number, hi: number) => number,
): Set<number> {
  const candidates: number[] = [];
  const left = milp.jobs.filter((j) => plan.chosen[j] < 0);
  if (left.length && kind !== 1) {
    // A plan with jobs left out: free one of them with the jobs running in its window.
    const job = left[int(0, left.length - 1)];
    const runs = milp.runs.filter((r) => r.jobIndex === job);
    const from = runs.reduce((m, r) => Math.min(m, r.start), Infinity);
    const to = runs.reduce((m, r) => Math.max(m, runEnd(r)), 0);
    for (const j of milp.jobs) {
      const col = plan.chosen[j];
      if (col >= 0 && milp.runs[col].start < to && runEnd(milp.runs[col]) > from) candidates.push(j);
    }
    shuffle(candidates, int);
    return new Set([job, ...candidates.slice(0, NEIGHBOURHOOD_JOBS - 1)]);
  }
  if (kind === 0) {
    const from = int(0, Math.max(0, slotCount - windowSlots));
    for (const job of milp.jobs) {
      const col = plan.chosen[job];
      if (col >= 0 && milp.runs[col].start < from + windowSlots && runEnd(milp.runs[col]) > from) candidates.push(job);
    }
  } else if (kind === 1 && heaterIds.length > 1) {
    const a = heaterIds[int(0, heaterIds.length - 1)];
    const b = heaterIds[int(0, heaterIds.length - 1)];
    for (const job of milp.jobs) {
      const col = plan.chosen[job];
      if (col >= 0 && (milp.runs[col].option.equipmentId === a || milp.runs[col].option.equipmentId === b)) candidates.push(job);
    }
  }
  // Keep at most NEIGHBOURHOOD_JOBS of the candidates, at random, and top up with random jobs.
  shuffle(candidates, int);
  const free = new Set(candidates.slice(0, NEIGHBOURHOOD_JOBS));
  const count = milp.jobs.length;
  const target = Math.min(count, Math.max(2, Math.min(NEIGHBOURHOOD_JOBS, Math.ceil(count / 2))));
  while (free.size < target) free.add(milp.jobs[int(0, count - 1)]);
  return free;
}

function shuffle(items: number[], int: (lo: number, hi: number) => number) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** HiGHS's current primal solution as a plan, if it has one. */
function readPlan(
  highs: Highs,
  model: Model,
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  jobCount: number,
): ColumnPlan | null {
  if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return null;
  const chosen = chosenFromVector(milp, jobCount, model.getSolution().colValue);
  return { chosen, objective: planObjective(problem, context, milp, chosen) };
}

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
    matrix: {
      format: 'csc',
      numRows: milp.numRows,
      numCols: milp.numCols,
      starts: milp.starts,
      indices: milp.indices,
      values: milp.values,
    },
  });
}

function better(a: ColumnPlan | null, b: ColumnPlan | null): ColumnPlan | null {
  if (!a) return b;
  if (!b) return a;
  return b.objective < a.objective ? b : a;
}

const relativeGap = (objective: number, bound: number) => Math.max(0, objective - bound) / Math.max(Math.abs(objective), 1e-9);

function toSchedule(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  conflict: Conflict | null,
  status: SolverStatus,
  bound: number | undefined,
  notes: string[] = [],
): OptimizedSchedule {
  const energyRates = problem.slots.map((s) => s.energyRate);
  const assignments = plan.chosen
    .filter((col) => col >= 0)
    .map((col) => toAssignment(milp.runs[col].option, milp.runs[col].start, problem.grid, energyRates))
    .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
  const unscheduled = unscheduledJobs(problem, context, milp, plan, conflict);
  const load = loadProfile(problem, assignments);
  // Skip penalties rank plans; the reported objective is the plan's own, and a bound only means something for a complete plan.
  const penalties = milp.jobs.reduce((sum, j) => sum + (plan.chosen[j] < 0 ? context.skipPenalty[j] : 0), 0);
  const complete = penalties === 0;
  const honestBound = bound === undefined || !complete ? null : Math.min(bound, plan.objective);
  return {
    assignments,
    unscheduled,
    loadProfileKw: load,
    peakKw: Math.max(...load),
    peakByCategoryKw: Object.fromEntries(peakByCategory(problem, load)),
    solver: {
      name: 'highs',
      status,
      objectiveKind: problem.settings.objective,
      objective: plan.objective - penalties,
      bound: honestBound,
      gap: honestBound === null ? null : relativeGap(plan.objective, honestBound),
      columns: milp.numCols,
      rows: milp.numRows,
      nonzeros: milp.starts[milp.numCols],
      notes,
    },
  };
}
