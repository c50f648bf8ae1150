import type { Highs } from 'highs';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { roundingNote, roundingReason } from '../../domain/grid-rounding.ts';
import { toAssignment } from '../../domain/heating.ts';
import { loadProfile, peakByCategory } from '../../domain/load.ts';
import type { OptimizedSchedule, SolverStatus, UnscheduledJob } from '../../domain/plan.ts';
import { blockedReason, PlanState, runEnd } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { findConflict, type Conflict } from './conflict.ts';
import { better, chosenFromVector, constructPlan, isComplete, planObjective, toColumnVector, type ColumnPlan } from './construct.ts';
import { isWasmAbort, loadHighs, withModel, type HighsModel } from './highs.ts';
import { buildMilp, columnFinder, columnsByJob, withoutLeftOutColumns, type Milp, type ModelContext } from './milp.ts';
import { improveByNeighbourhoods } from './neighbourhoods.ts';
import { improveSequences } from './sequences.ts';

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
  /** Makespan mode: tabu-search iterations on the heaters' sequences before the whole MILP (default DEFAULT_TABU_ITERATIONS). */
  tabuIterations?: number;
}

/**
 * Work that takes about `seconds` on a 50-job day with every operating rule on one core (measured,
 * see MODEL.md). Smaller days finish sooner; larger ones may reach the time limit first (the plan
 * then says so).
 */
export function workBudgetFor(seconds: number): WorkBudget {
  return {
    wholeMilpNodes: Math.max(1, Math.round(seconds / 10)),
    neighbourhoods: Math.max(3, Math.round(seconds / 8)),
    neighbourhoodNodes: 50,
    tabuIterations: Math.max(1000, Math.round(seconds * TABU_ITERATIONS_PER_SECOND)),
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

const PROGRESS_EVERY_MS = 250;
/**
 * Models up to this many columns get the whole time limit as one MILP: HiGHS's own search beats
 * neighbourhood search there (BENCHMARKS.md). Larger models rarely finish the root LP in time, so
 * they get LARGE_MODEL_MILP_SHARE of it, then neighbourhood search.
 */
const WHOLE_MILP_MAX_COLUMNS = 100_000;
const LARGE_MODEL_MILP_SHARE = 0.3;
/** Share of the time limit the constructive plans may take (re-insertion; randomised active schedules in makespan mode, where the tabu search does more with the time). */
const CONSTRUCTIVE_SHARE = 0.25;
const MAKESPAN_CONSTRUCTIVE_SHARE = 0.05;
/** Makespan mode: tabu search on the sequences runs until this share of the time limit; the whole MILP (and its bound) gets the rest. */
const TABU_SHARE = 0.6;
/** Tabu iterations in a second's work budget: about what one core does on a 10 × 10 job shop (BENCHMARKS.md). */
const TABU_ITERATIONS_PER_SECOND = 3000;
const DEFAULT_TABU_ITERATIONS = 10_000;

/**
 * One solve, carried through its phases (MODEL.md, "Solving"): the model, the best plan so far,
 * its bound, how the search ended, and the notes the plan will carry.
 */
export class SolveState {
  readonly started = performance.now();
  readonly deadline: number;
  /** Set when the search is bounded by work (nodes, neighbourhoods) instead of the clock. */
  readonly budget: WorkBudget | undefined;
  milp: Milp;
  context: ModelContext;
  highs!: Highs;
  best: ColumnPlan | null = null;
  bound: number | undefined;
  proved = false;
  /** Set when the clock, not the work budget, ended a phase: the plan may then differ between runs. */
  stoppedByClock = false;
  readonly notes: string[] = [];
  private lastReport = -Infinity;

  constructor(
    readonly problem: PlanningProblem,
    readonly options: SolveOptions,
    private readonly onProgress?: (p: SolveProgress) => void,
  ) {
    this.deadline = this.started + options.timeLimitSeconds * 1000;
    ({ milp: this.milp, context: this.context } = buildMilp(problem));
    this.budget = options.workBudget ?? (problem.settings.deterministic ? workBudgetFor(options.timeLimitSeconds) : undefined);
  }

  get seed(): number {
    return this.options.randomSeed ?? 0;
  }

  /** Tells the caller how the search stands (at most every PROGRESS_EVERY_MS unless forced). */
  report(p: Omit<SolveProgress, 'elapsedMs'>, force = false): void {
    const now = performance.now();
    if (!this.onProgress || (!force && now - this.lastReport < PROGRESS_EVERY_MS)) return;
    this.lastReport = now;
    this.onProgress({ elapsedMs: Math.round(now - this.started), ...p });
  }

  /** Reports an improvement, with the plan itself, so that a restarted attempt can resume from it. */
  improved(plan: ColumnPlan | null, p: Omit<SolveProgress, 'elapsedMs' | 'plan'>): void {
    this.report({ ...p, plan: plan ? encodePlan(this.problem, this.milp, plan) : undefined }, true);
  }

  /** Reports a better plan found after the whole MILP, against the bound it left. */
  improvedTo(plan: ColumnPlan): void {
    const gap = this.bound === undefined ? undefined : relativeGap(plan.objective, this.bound);
    this.improved(plan, { incumbent: plan.objective, bound: this.bound, gap });
  }
}

/**
 * Builds the MILP and solves it in phases (see MODEL.md): a constructive plan, the whole MILP from
 * that plan for part of the time (which also yields the lower bound), then large-neighbourhood
 * search until the time limit. Throws E003 when no plan exists and E002 when none was found in time.
 */
export async function solvePlan(
  problem: PlanningProblem,
  options: SolveOptions,
  onProgress?: (p: SolveProgress) => void,
): Promise<OptimizedSchedule> {
  const s = new SolveState(problem, options, onProgress);
  const rounding = roundingNote(problem, s.context.roundings);
  if (rounding) s.notes.push(rounding);
  startFromConstructivePlan(s);
  if (!s.milp.jobs.length) {
    const nothing = { chosen: new Array<number>(problem.schedule.jobs.length).fill(-1), objective: 0 };
    return toSchedule(s, nothing, { status: 'no_jobs', conflict: null, bound: undefined, notes: [] });
  }
  // Leaving jobs out is only an option when no complete plan is known yet.
  if (s.best && isComplete(s.milp, s.best)) s.milp = withoutLeftOutColumns(s.milp);
  s.highs = await loadHighs();
  s.improved(s.best, { incumbent: s.best?.objective });
  if (!s.proved) await solveWholeModel(s);
  if (!s.proved) searchNeighbourhoods(s);
  return finish(s);
}

/** Phase 1: the constructive plan, or the plan an earlier attempt heartbeated when it is better. */
function startFromConstructivePlan(s: SolveState): void {
  const { problem, options, budget } = s;
  const share = problem.settings.objective === 'minimize_makespan' ? MAKESPAN_CONSTRUCTIVE_SHARE : CONSTRUCTIVE_SHARE;
  const constructUntil = s.started + options.timeLimitSeconds * 1000 * share;
  // With a work budget nothing may depend on the clock: the constructive plans run to the end, unless the time limit comes first.
  s.best =
    options.constructiveStart === false ? null : constructPlan(problem, s.context, s.milp, { until: budget ? s.deadline : constructUntil });
  s.stoppedByClock = budget !== undefined && performance.now() >= s.deadline;
  resume(s);
  if (s.best && problem.settings.objective === 'minimize_makespan' && isComplete(s.milp, s.best)) {
    searchSequences(s, s.best);
    dropRunsPastMakespan(s, s.best);
  }
}

/** Phase 1b, makespan mode: tabu search on the order of each heater's runs (sequences.ts), clock- or budget-bounded. */
function searchSequences(s: SolveState, plan: ColumnPlan): void {
  const until = s.budget ? s.deadline : s.started + s.options.timeLimitSeconds * 1000 * TABU_SHARE;
  const iterations = s.budget ? (s.budget.tabuIterations ?? DEFAULT_TABU_ITERATIONS) : Infinity;
  const search = improveSequences(s.problem, s.context, s.milp, plan, { iterations, until, seed: s.seed });
  if (!search) return;
  if (s.budget) s.stoppedByClock ||= search.stoppedByClock;
  const { from, to } = search.makespanSlots;
  s.notes.push(
    `tabu search on the heaters' sequences: ${search.iterations} iterations, makespan ${from} → ${to} slots` +
      (search.plan ? '' : to < from ? ' (its plan broke a rule outside the sequences; kept the start)' : ''),
  );
  if (search.plan) {
    s.best = search.plan;
    s.improved(s.best, { incumbent: s.best.objective });
  }
  // The shop is the whole problem and its makespan bound is reached: optimal without the MILP.
  const slotHours = s.problem.grid.slotMinutes / 60;
  if (search.lowerBound !== null && s.best && Math.abs(s.best.objective - search.lowerBound * slotHours) < 1e-9) {
    s.bound = s.best.objective;
    s.proved = true;
    s.notes.push(`makespan at its lower bound (the longest route or a heater's work: ${search.lowerBound} slots): optimal`);
  }
}

function resume(s: SolveState): void {
  const { resumeFrom } = s.options;
  if (!resumeFrom) return;
  if (s.budget) {
    s.notes.push("deterministic: an earlier attempt's plan is not resumed from, so that the plan depends on the input only");
    return;
  }
  const resumed = decodePlan(s, resumeFrom);
  if (!resumed) s.notes.push('the plan an earlier attempt heartbeated does not fit this problem; started afresh');
  else if (!s.best || resumed.objective <= s.best.objective + 1e-9) {
    s.best = resumed;
    s.notes.push(`resumed from the plan an earlier attempt heartbeated (objective ${resumed.objective.toFixed(2)})`);
  }
}

/** No run ending after the constructive plan's makespan can improve on it: rebuilds the model without them. */
function dropRunsPastMakespan(s: SolveState, plan: ColumnPlan): void {
  const wide = s.milp;
  const makespan = plan.chosen.reduce((max, col) => (col >= 0 ? Math.max(max, runEnd(wide.runs[col])) : max), 0);
  ({ milp: s.milp, context: s.context } = buildMilp(s.problem, { latestEnd: makespan }));
  const columnOf = columnFinder(s.milp);
  const chosen = plan.chosen.map((col) => {
    if (col < 0) return -1;
    const { jobIndex, option, start } = wide.runs[col];
    return columnOf(jobIndex, option.equipmentId, start, option.durationSlots)!;
  });
  s.best = { chosen, objective: planObjective(s.problem, s.context, s.milp, chosen) };
}

/**
 * Phase 2: the whole MILP from the best plan so far; its dual bound is the plan's lower bound. A
 * model thinned to COLUMN_BUDGET skips it (its bound would not bind the whole problem).
 */
async function solveWholeModel(s: SolveState): Promise<void> {
  const { milp, context, options } = s;
  if (context.restricted && s.best) {
    s.bound = context.restricted.bound ?? undefined;
    s.notes.push(
      `${context.restricted.of.toLocaleString('en-US')} possible runs, more than one model takes: each job kept its cheapest heaters and some others ` +
        `(${context.restricted.kept.toLocaleString('en-US')} runs); improved by neighbourhood search; the bound counts each job at its cheapest run`,
    );
    return;
  }
  const fullSeconds =
    milp.numCols <= (options.wholeMilpMaxColumns ?? WHOLE_MILP_MAX_COLUMNS) || options.timeLimitSeconds <= 5
      ? options.timeLimitSeconds
      : Math.max(5, options.timeLimitSeconds * LARGE_MODEL_MILP_SHARE);
  // A work budget ends this phase by its nodes; the time limit only as a safety stop.
  const whole = runWholeMilp(s, Math.min(s.budget ? Infinity : fullSeconds, (s.deadline - performance.now()) / 1000));
  const { modelStatus } = s.highs.constants;
  s.stoppedByClock ||= whole.status === modelStatus.timeLimit;
  if (whole.aborted) return continueAfterAbort(s, whole);
  s.best = better(s.best, whole.plan);
  s.bound = whole.bound;
  s.proved = whole.status === modelStatus.optimal;
  if (!s.best) throw noPlanFound(s, whole.status);
}

/**
 * The runtime aborted (out of WebAssembly memory, or an internal error): the search carries on with
 * small models from the best plan so far, HiGHS's last incumbent included, and its last bound.
 */
async function continueAfterAbort(s: SolveState, whole: WholeMilpResult): Promise<void> {
  const fromHighs = whole.plan !== null && better(s.best, whole.plan) === whole.plan;
  const best = better(s.best, whole.plan);
  if (!best) throw crashed(whole.aborted);
  s.best = best;
  s.bound = whole.bound;
  s.notes.push(
    `HiGHS aborted on the whole model (${s.milp.numCols} columns: ${String(whole.aborted)}); the plan continues from ` +
      (fromHighs ? `HiGHS's last incumbent (objective ${best.objective.toFixed(2)})` : 'the constructive start') +
      ` with neighbourhood search, ${s.bound === undefined ? 'without a lower bound' : `with HiGHS's last bound (${s.bound.toFixed(2)})`}`,
  );
  s.highs = await loadHighs();
}

function noPlanFound(s: SolveState, status: number | undefined): Error {
  const { modelStatus } = s.highs.constants;
  const limit = s.options.timeLimitSeconds;
  if (status === modelStatus.timeLimit || status === modelStatus.interrupted) {
    return new DomainError(
      ErrorCode.SOLVER_TIMEOUT,
      `No plan found within solverTimeLimitSeconds=${limit}; raise the limit or split the schedule`,
    );
  }
  if (status === modelStatus.solutionLimit) {
    return new DomainError(
      ErrorCode.SOLVER_TIMEOUT,
      `No plan found within the deterministic work budget (${s.budget?.wholeMilpNodes} nodes for solverTimeLimitSeconds=${limit}); raise the limit or split the schedule`,
    );
  }
  return new Error(`HiGHS ended with model status ${status} and no solution`);
}

/** Phase 3: large-neighbourhood search from the best plan (`neighbourhoods.ts`); a HiGHS abort there keeps the plan found before. */
function searchNeighbourhoods(s: SolveState): void {
  const best = s.best!;
  try {
    const search = improveByNeighbourhoods(s, best);
    s.best = search.plan;
    s.stoppedByClock ||= search.stoppedByClock;
  } catch (err) {
    if (!isWasmAbort(err)) throw err;
    s.notes.push(`HiGHS aborted during neighbourhood search (${String(err)}); the plan is the best found before`);
  }
  s.proved = s.bound !== undefined && relativeGap(s.best!.objective, s.bound) <= s.options.mipGap;
}

/** Phase 4: the status and notes, the conflict that explains jobs left out, and the plan (or E003/E002 with `allOrNothing`). */
function finish(s: SolveState): OptimizedSchedule {
  const { milp, context, budget } = s;
  const best = s.best!;
  if (budget && !s.proved) {
    s.notes.push(
      s.stoppedByClock
        ? `deterministic: the time limit (${s.options.timeLimitSeconds} s) stopped the search before its work budget (${describeBudget(budget)}); another run may give another plan: raise solverTimeLimitSeconds`
        : `deterministic: the search ended at its work budget (${describeBudget(budget)}), not on the clock: the same input gives this plan on any machine`,
    );
  }
  const conflict = isComplete(milp, best) || context.restricted ? null : conflictIn(s, best);
  if (s.problem.settings.allOrNothing && !isComplete(milp, best)) throw incompletePlan(s, best, conflict);
  const status = s.proved ? 'optimal' : budget && !s.stoppedByClock ? 'work_limit' : 'time_limit';
  return toSchedule(s, best, { status, conflict, bound: s.proved ? best.objective : s.bound, notes: s.notes });
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

/** The whole MILP from the best plan for `seconds` (or the budget's nodes), reporting each incumbent; a runtime abort is returned, not thrown. */
function runWholeMilp(s: SolveState, seconds: number): WholeMilpResult {
  const { problem, context, milp, highs } = s;
  const jobCount = problem.schedule.jobs.length;
  const { callbackType } = highs.constants;
  let incumbent: ColumnPlan | null = null;
  let bound: number | undefined;
  const noteBound = (value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) bound = Math.max(bound ?? -Infinity, value);
  };
  try {
    return withModel(highs, milp, (model) => {
      model.options.set({ output_flag: false, mip_rel_gap: s.options.mipGap, random_seed: s.seed, time_limit: Math.max(0, seconds) });
      if (s.budget) model.options.set({ mip_max_nodes: s.budget.wholeMilpNodes });
      if (s.best) model.setSolution({ colValue: toColumnVector(problem, milp, s.best.chosen, new PlanState(problem, context.rules)) });
      const status = model.run({
        [callbackType.mipImprovingSolution]: (e) => {
          noteBound(e.data.mip_dual_bound);
          if (e.data.mip_solution) {
            const chosen = chosenFromVector(milp, jobCount, e.data.mip_solution);
            incumbent = better(incumbent, { chosen, objective: planObjective(problem, context, milp, chosen) });
          }
          // The plan's own objective: HiGHS's may count a demand column above the plan's peak.
          const objective = e.data.mip_solution ? incumbent?.objective : e.data.objective_function_value;
          s.improved(e.data.mip_solution ? incumbent : null, { incumbent: objective, bound: e.data.mip_dual_bound, gap: e.data.mip_gap });
        },
        // Fires at every MIP checkpoint (mipLogging stays silent with output_flag off); we never interrupt.
        [callbackType.mipInterrupt]: (e) => {
          noteBound(e.data.mip_dual_bound);
          s.report({ incumbent: e.data.mip_primal_bound, bound: e.data.mip_dual_bound, gap: e.data.mip_gap });
        },
      }).modelStatus;
      const dualBound = Number(model.info.get('mip_dual_bound'));
      return { status, plan: readPlan(s, model), bound: Number.isFinite(dualBound) ? dualBound : undefined };
    });
  } catch (err) {
    if (!isWasmAbort(err)) throw err;
    return { plan: incumbent, bound, aborted: err };
  }
}

/** HiGHS's current primal solution as a plan, if it has one. */
function readPlan(s: SolveState, model: HighsModel): ColumnPlan | null {
  if (Number(model.info.get('primal_solution_status')) !== s.highs.constants.solutionStatus.feasible) return null;
  const chosen = chosenFromVector(s.milp, s.problem.schedule.jobs.length, model.getSolution().colValue);
  return { chosen, objective: planObjective(s.problem, s.context, s.milp, chosen) };
}

/** The conflict HiGHS's IIS names among the jobs left out, if any; HiGHS failing here only costs the explanation. */
function conflictIn(s: SolveState, plan: ColumnPlan): Conflict | null {
  try {
    return findConflict(s.highs, s.problem, s.context, s.milp, plan.chosen);
  } catch (err) {
    // e.g. "getIis failed with HiGHS status -1" on a day at 95 % utilisation
    if (err instanceof s.highs.errors.HighsError || isWasmAbort(err)) return null;
    throw err;
  }
}

/** Thrown when HiGHS aborted and no plan could be saved: retryable (the next attempt runs in a fresh thread). */
export class SolverCrashedError extends Error {
  override name = 'SolverCrashed';
}

function crashed(err: unknown): unknown {
  return isWasmAbort(err) ? new SolverCrashedError(`HiGHS aborted before any plan was found: ${String(err)}`) : err;
}

/** A plan as numbers that survive a heartbeat: per job, (heater index × (T + 1) + run length) × T + start slot, or -1. */
function encodePlan(problem: PlanningProblem, milp: Milp, plan: ColumnPlan): number[] {
  const T = problem.grid.slotCount;
  const heaterIndex = new Map(problem.equipment.map((e, i) => [e.id, i]));
  return plan.chosen.map((col) => {
    if (col < 0) return -1;
    const { option, start } = milp.runs[col];
    return (heaterIndex.get(option.equipmentId)! * (T + 1) + option.durationSlots) * T + start;
  });
}

/** The encoded plan in this model's columns, or null when a run is not in the model or the plan breaks a rule. */
function decodePlan(s: SolveState, encoded: number[]): ColumnPlan | null {
  const { problem, context, milp } = s;
  const T = problem.grid.slotCount;
  if (encoded.length !== problem.schedule.jobs.length) return null;
  const columnOf = columnFinder(milp);
  const state = new PlanState(problem, context.rules);
  const chosen: number[] = [];
  for (const [job, code] of encoded.entries()) {
    if (code < 0) {
      chosen.push(-1);
      continue;
    }
    const heaterAndLength = Math.floor(code / T);
    const col = columnOf(job, problem.equipment[Math.floor(heaterAndLength / (T + 1))]?.id ?? '', code % T, heaterAndLength % (T + 1));
    if (col === undefined || state.conflict(milp.runs[col], { pairwise: true })) return null;
    state.place(milp.runs[col]);
    chosen.push(col);
  }
  if (state.stateViolation()) return null;
  return { chosen, objective: planObjective(problem, context, milp, chosen) };
}

/** all-or-nothing without a complete plan: E003 naming the jobs left out when that is proved best, else E002. */
function incompletePlan(s: SolveState, plan: ColumnPlan, conflict: Conflict | null): DomainError {
  const left = unscheduledJobs(s, plan, conflict);
  const jobIndex = new Map(s.problem.schedule.jobs.map((j, i) => [j.id, i]));
  const problems = left.map((u) => ({
    path: `schedule.jobs[${jobIndex.get(u.jobId)}]`,
    message: `job ${u.jobId} cannot be placed: ${u.reason}`,
  }));
  if (s.proved) return new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No plan places every job', problems);
  return new DomainError(
    ErrorCode.SOLVER_TIMEOUT,
    `No complete plan found within solverTimeLimitSeconds=${s.options.timeLimitSeconds}; the best one leaves ${left.length} job(s) out`,
    problems,
  );
}

/**
 * The jobs a plan leaves out, each with why: no heater at all, or which rules block every run it
 * has, and the jobs and rules of HiGHS's conflict it belongs to.
 */
function unscheduledJobs(s: SolveState, plan: ColumnPlan, conflict: Conflict | null): UnscheduledJob[] {
  const { problem, context, milp } = s;
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
      const rounded = reason + roundingReason(problem, context.roundings, j);
      return { jobId: problem.schedule.jobs[j].id, reason: conflict?.jobs.has(j) ? `${rounded}; ${conflict.text}` : rounded };
    });
  return [...context.unplaceable, ...left];
}

const relativeGap = (objective: number, bound: number) => Math.max(0, objective - bound) / Math.max(Math.abs(objective), 1e-9);

interface Outcome {
  status: SolverStatus;
  conflict: Conflict | null;
  bound: number | undefined;
  notes: string[];
}

function toSchedule(s: SolveState, plan: ColumnPlan, { status, conflict, bound, notes }: Outcome): OptimizedSchedule {
  const { problem, context, milp } = s;
  const energyRates = problem.slots.map((slot) => slot.energyRate);
  const assignments = plan.chosen
    .filter((col) => col >= 0)
    .map((col) => toAssignment(milp.runs[col].option, milp.runs[col].start, problem.grid, energyRates))
    .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
  // The runs' load and the electric hot standby between them (the state of each heater follows from its runs).
  const state = new PlanState(problem, context.rules);
  for (const col of plan.chosen) if (col >= 0) state.place(milp.runs[col]);
  const standby = state.standbyLoad();
  const load = loadProfile(problem, assignments).map((kw, t) => kw + standby[t]);
  // Skip penalties rank plans; the reported objective is the plan's own, and a bound only means something for a complete plan.
  const penalties = milp.jobs.reduce((sum, j) => sum + (plan.chosen[j] < 0 ? context.skipPenalty[j] : 0), 0);
  const honestBound = bound === undefined || penalties !== 0 ? null : Math.min(bound, plan.objective);
  return {
    assignments,
    unscheduled: unscheduledJobs(s, plan, conflict),
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
