import { fifoBaseline } from '../../domain/baseline.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import type { Equipment } from '../../domain/equipment.ts';
import { runCost, statePrices, type HeaterOption } from '../../domain/heating.ts';
import { jobPlacements, type JobPlacements } from '../../domain/placements.ts';
import type { Assignment, UnscheduledJob } from '../../domain/plan.ts';
import { PlanState, planRules, runEnd, type PlanRules, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { priorityWeight } from '../../domain/settings.ts';
import {
  balance,
  changeovers,
  coldStarts,
  demandColumns,
  eachJobOnce,
  leftOutColumns,
  makespan,
  minOffTime,
  minRunTime,
  modelScope,
  oneJobAtATime,
  precedence,
  siteLoad,
  stackingCapacity,
  standbyGaps,
  startsPerDay,
  stateColumns,
  type ModelBuilder,
  type ModelScope,
  type RowLabel,
  type StandbyLoad,
  type StateColumns,
} from './constraints.ts';
import { gridRoundings, roundingReason } from '../../domain/grid-rounding.ts';
import { SparseModelBuilder, withoutTrailingColumns, type SparseModel } from './sparse-model.ts';

/**
 * The time-indexed MILP in HiGHS' sparse form (see MODEL.md): a binary per feasible run
 * (job, heater, start), a skip column per job (partial plans), continuous R[d] per demand
 * determinant (a charge in a billing period), and C (makespan) or B (busiest heater) for those objectives. Each row's label says
 * what it stands for, to name the constraints of a conflict (`conflict.ts`).
 */
export interface Milp extends SparseModel<RowLabel> {
  /** The run of each binary column (columns 0..runs.length-1); job indices are the problem's. */
  runs: Run[];
  /** Problem job indices this model places. */
  jobs: number[];
  skipColumns: Map<number, number>;
  /** R[d] per demand determinant (key): the kW the plan raises that charge's billed demand by. */
  demandColumns: Map<string, number>;
  makespanColumn?: number;
  balanceColumn?: number;
  /** Cold-start and hot-standby columns of each heater that has an on/off state. */
  stateColumns: StateColumns[];
}

/** What every model of one problem shares: the rules, the placements, and the cost of leaving a job out. */
export interface ModelContext {
  rules: PlanRules;
  placements: JobPlacements[];
  /** Jobs no heater can run at all (never in a model), with the reason. */
  unplaceable: UnscheduledJob[];
  /** Objective penalty for leaving each job unscheduled: above any objective a plan can reach, scaled by priority. */
  skipPenalty: Float64Array;
  /** The FIFO plan's column per job (-1 where it leaves the job out). */
  fifo: number[];
  /**
   * Set when the problem had more runs than COLUMN_BUDGET and each job kept only some of them: a
   * bound of this model is then no bound of the problem; `bound` is one (each job at its cheapest
   * run, demand at its floor), or null for objectives without such a bound.
   */
  restricted: { kept: number; of: number; bound: number | null } | null;
  /** The job times off the slot grid and how they were rounded (`gridRoundings`), by job index. */
  roundings: Map<number, string[]>;
}

/**
 * Most runs a model gets. Above it (thousands of jobs over days with long windows), each job keeps
 * its cheapest heaters and some others, with its starts thinned evenly: millions of columns would
 * take minutes and gigabytes to build and never get past HiGHS's root.
 */
export const COLUMN_BUDGET = 250_000;

const EPS = 1e-9;
export const costObjective = (problem: PlanningProblem) =>
  problem.settings.objective === 'minimize_cost' || problem.settings.objective === 'minimize_tardiness';

/**
 * The whole problem's model and context. Jobs no heater can run go to `unplaceable`; with
 * `allOrNothing` they are an E003 naming every such job and why. `latestEnd` drops runs ending later.
 */
export function buildMilp(problem: PlanningProblem, { latestEnd }: { latestEnd?: number } = {}): { milp: Milp; context: ModelContext } {
  const { settings } = problem;
  const limit = settings.peakLimitKw;
  if (limit !== undefined && settings.baseLoadKw > limit + EPS) {
    throw new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No feasible plan', [
      { path: 'settings.baseLoadKw', message: `the site base load of ${settings.baseLoadKw} kW alone exceeds peakLimitKw ${limit} kW` },
    ]);
  }
  const headroom = limit === undefined ? Infinity : limit - settings.baseLoadKw;
  const placements = jobPlacements(problem, { latestEnd });
  const roundings = gridRoundings(problem);
  const problems: FieldProblem[] = [];
  const unplaceable: UnscheduledJob[] = [];
  placements.forEach((jp, i) => {
    // The limit is on interval averages: a run shorter than two intervals may straddle two and average less than its draw.
    const within = jp.placements.filter(({ option }) => leastAverageKw(option, problem) <= headroom + EPS);
    for (const { option } of jp.placements.filter((o) => !within.includes(o))) {
      jp.excluded[option.equipmentId] =
        `draws ${round(option.electricKw)} kW, over the ${round(headroom)} kW left under peakLimitKw after the base load`;
    }
    jp.placements = within;
    if (within.length) return;
    const reason = (groupedReasons(jp.excluded) || 'no heaters at the site') + roundingReason(problem, roundings, i);
    unplaceable.push({ jobId: jp.job.id, reason });
    problems.push({ path: `schedule.jobs[${i}]`, message: `job ${jp.job.id} fits no heater (${reason})` });
  });
  if (problems.length && settings.allOrNothing) throw new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No feasible plan', problems);
  // FIFO on every run there is; a thinned model keeps FIFO's runs, so it always holds that plan.
  const fifo = fifoBaseline(problem, placements);
  const restricted = restrictToBudget(problem, placements, COLUMN_BUDGET, fifo.assignments);

  const runs: Run[] = [];
  const jobs: number[] = [];
  placements.forEach(({ placements: options }, jobIndex) => {
    if (options.length) jobs.push(jobIndex);
    for (const { option, starts } of options) for (const start of starts) runs.push({ jobIndex, option, start });
  });
  const rules = planRules(problem);
  const skipPenalty = skipPenalties(problem, runs);
  const context: ModelContext = { rules, placements, unplaceable, skipPenalty, fifo: [], restricted, roundings };
  const milp = assembleMilp(problem, context, runs, jobs, new PlanState(problem, rules), true);
  context.fifo = fifoColumns(problem, milp, fifo.assignments);
  return { milp, context };
}

/**
 * The model over the given runs for the given jobs, around the runs already placed in `fixed`
 * (nothing for the whole problem; the jobs held in place for a neighbourhood). Runs must be
 * compatible with `fixed` (`fixed.fits`); rows then only couple the given runs. Rows and columns
 * come in MODEL.md's order: the runs, each job's row (1), each heater's rows (2 or 3, 4, 5),
 * precedence (6), the site load (7, 8), makespan (9) or balance (10), the left-out columns.
 */
export function assembleMilp(
  problem: PlanningProblem,
  context: ModelContext,
  runs: Run[],
  jobs: number[],
  fixed: PlanState,
  allowSkip: boolean,
): Milp {
  const s = modelScope(problem, context.rules, runs, jobs, fixed);
  const m: ModelBuilder = new SparseModelBuilder();
  const slotHours = problem.grid.slotMinutes / 60;
  const energyRates = problem.slots.map((slot) => slot.energyRate);
  for (const run of runs) m.addColumn(runObjective(problem, run, slotHours, energyRates), 0, 1, true);
  const jobRows = eachJobOnce(m, s);
  const states: StateColumns[] = [];
  const standby: StandbyLoad[] = [];
  for (const heater of problem.equipment) {
    const state = heaterRows(m, s, heater, energyRates);
    if (!state) continue;
    states.push(state);
    const { standbyElectricKw } = statePrices(heater, problem.tariff, problem.grid.slotMinutes, energyRates);
    if (standbyElectricKw > 0) state.idle.forEach((col, t) => col >= 0 && standby.push({ col, t, kw: standbyElectricKw }));
  }
  const precedenceRows = precedence(m, s);
  const demand = demandColumns(m, s, costObjective(problem));
  siteLoad(m, s, demand, standby);
  const { objective } = problem.settings;
  const makespanColumn = objective === 'minimize_makespan' ? makespan(m, s, slotHours) : undefined;
  const balanceColumn = objective === 'balance_resources' ? balance(m, s, slotHours) : undefined;
  const skipColumns = leftOutColumns(m, s, { jobRows, precedenceRows, penalty: context.skipPenalty, allowed: allowSkip });
  const demandColumnOf = new Map([...demand].map(([category, { col }]) => [category, col]));
  return { ...m.build(), runs, jobs, skipColumns, demandColumns: demandColumnOf, makespanColumn, balanceColumn, stateColumns: states };
}

/**
 * A heater's columns and rows: its state's columns (cost objectives price them), one job at a time
 * (2) with changeovers (4), or its stacking capacity (3); its state (11-14); its starts per day (5).
 */
function heaterRows(m: ModelBuilder, s: ModelScope, heater: Equipment, energyRates: number[]): StateColumns | undefined {
  if (!s.columnsOnHeater.get(heater.id)!.length) return undefined;
  const capacity = s.rules.stacking.get(heater.id);
  let state: StateColumns | undefined;
  if (capacity != null) stackingCapacity(m, s, heater.id, capacity);
  else {
    if (s.rules.state.get(heater.id)) {
      const prices = statePrices(heater, s.problem.tariff, s.problem.grid.slotMinutes, energyRates);
      const free = { ...prices, start: () => 0, standby: () => 0 };
      state = stateColumns(m, s, heater.id, costObjective(s.problem) ? prices : free);
    }
    oneJobAtATime(m, s, heater.id, state);
    changeovers(m, s, heater);
    if (state) {
      coldStarts(m, s, state);
      minOffTime(m, s, state);
      minRunTime(m, s, state);
      standbyGaps(m, s, state);
    }
  }
  const max = s.rules.maxStarts.get(heater.id);
  if (max !== undefined) startsPerDay(m, s, heater.id, max, state);
  return state;
}

/** A run's own share of the objective: its energy (cost objectives) plus its weighted lateness (tardiness). */
function runObjective(problem: PlanningProblem, run: Run, slotHours: number, energyRates: number[]): number {
  const { settings, grid } = problem;
  if (!costObjective(problem)) return 0;
  let cost = runCost(run.option, run.start, slotHours, energyRates);
  if (settings.objective === 'minimize_tardiness') {
    const job = problem.schedule.jobs[run.jobIndex];
    const endMs = Date.parse(grid.startUtc) + runEnd(run) * grid.slotMinutes * 60_000;
    const lateHours = Math.max(0, endMs - Date.parse(job.deadline)) / 3_600_000;
    cost += lateHours * settings.tardinessCostPerHour * priorityWeight(settings, job.priority);
  }
  return cost;
}

/** Thins the placements to about `budget` runs when there are more; returns what was kept and a bound of the whole problem. */
function restrictToBudget(
  problem: PlanningProblem,
  placements: JobPlacements[],
  budget: number,
  keep: Assignment[],
): ModelContext['restricted'] {
  const total = placements.reduce((sum, jp) => sum + jp.placements.reduce((n, p) => n + p.starts.length, 0), 0);
  if (total <= budget) return null;
  const slotHours = problem.grid.slotMinutes / 60;
  const energyRates = problem.slots.map((s) => s.energyRate);
  // What a kW drawn at the worst time may cost in demand charges: every charge's rate at once.
  const perKwDemand = costObjective(problem) ? problem.demand.determinants.reduce((sum, d) => sum + d.rate, 0) : 0;
  let bound = 0;
  let kept = 0;
  const perJob = Math.max(16, Math.floor(budget / placements.length));
  const mustKeep = new Map(keep.map((a) => [a.jobId, a]));
  placements.forEach((jp, jobIndex) => {
    if (!jp.placements.length) return;
    // Cheapest run of each heater (a valid bound term), and an estimate to rank heaters by.
    const cheapest = jp.placements.map(({ option, starts }) =>
      Math.min(...starts.map((start) => runObjective(problem, { jobIndex, option, start }, slotHours, energyRates))),
    );
    bound += Math.min(...cheapest);
    const rank = jp.placements
      .map((p, i) => ({ p, estimate: cheapest[i] + p.option.electricKw * perKwDemand }))
      .sort((a, b) => a.estimate - b.estimate);
    const medianStarts = [...jp.placements.map((p) => p.starts.length)].sort((a, b) => a - b)[jp.placements.length >> 1];
    const heaters = Math.min(rank.length, Math.max(12, Math.floor(perJob / Math.max(1, medianStarts))));
    // The best half, then others spread over the rest by job, so every heater stays in use.
    const best = rank.slice(0, Math.ceil(heaters / 2));
    const rest = rank.slice(best.length);
    const spread = Array.from(
      { length: heaters - best.length },
      (_, k) => rest[(jobIndex + Math.floor((k * rest.length) / (heaters - best.length))) % rest.length],
    );
    const room = Math.max(1, Math.floor(perJob / heaters));
    jp.placements = [...best, ...spread].map(({ p }) => ({ option: p.option, starts: thin(p.starts, room) }));
    const must = mustKeep.get(jp.job.id);
    if (must) {
      const original = rank.find(
        ({ p }) => p.option.equipmentId === must.equipmentId && p.option.durationSlots === must.endSlot - must.startSlot,
      )!.p;
      const at = jp.placements.find((p) => p.option === original.option);
      if (!at) jp.placements.push({ option: original.option, starts: [must.startSlot] });
      else if (!at.starts.includes(must.startSlot)) at.starts = [...at.starts, must.startSlot].sort((a, b) => a - b);
    }
    kept += jp.placements.reduce((n, p) => n + p.starts.length, 0);
  });
  if (costObjective(problem)) {
    // Each charge is raised at least by the base load above its floor.
    for (const d of problem.demand.determinants) bound += d.rate * Math.max(0, problem.settings.baseLoadKw - d.floor.floorKw);
  }
  return { kept, of: total, bound: costObjective(problem) ? bound : null };
}

/** At most `count` of the starts, evenly spread, first and last included. */
function thin(starts: number[], count: number): number[] {
  if (starts.length <= count) return starts;
  if (count === 1) return [starts[0]];
  return Array.from({ length: count }, (_, k) => starts[Math.round((k * (starts.length - 1)) / (count - 1))]);
}

/** Per job: more than any plan's whole objective can be (so placing a job always pays), times its priority weight. */
function skipPenalties(problem: PlanningProblem, runs: Run[]): Float64Array {
  const { settings, grid } = problem;
  const slotHours = grid.slotMinutes / 60;
  const energyRates = problem.slots.map((s) => s.energyRate);
  const worstRun = new Float64Array(problem.schedule.jobs.length);
  const worstKw = new Float64Array(problem.schedule.jobs.length);
  for (const r of runs) {
    worstRun[r.jobIndex] = Math.max(
      worstRun[r.jobIndex],
      runObjective(problem, r, slotHours, energyRates),
      r.option.durationSlots * slotHours,
    );
    worstKw[r.jobIndex] = Math.max(worstKw[r.jobIndex], r.option.electricKw);
  }
  const peak = Math.min(settings.peakLimitKw ?? Infinity, settings.baseLoadKw + worstKw.reduce((a, b) => a + b, 0));
  let ceiling = worstRun.reduce((a, b) => a + b, 1) + grid.slotCount * slotHours;
  if (costObjective(problem)) {
    for (const d of problem.demand.determinants) ceiling += d.rate * Math.max(0, peak - d.floor.floorKw);
  }
  const minWeight = Math.min(...settings.priorityWeights);
  return Float64Array.from(problem.schedule.jobs, (job) => (ceiling * priorityWeight(settings, job.priority)) / minWeight);
}

/** The FIFO baseline in the model's columns (-1 for the jobs it leaves out). */
function fifoColumns(problem: PlanningProblem, milp: Milp, assignments: Assignment[]): number[] {
  const jobIndex = new Map(problem.schedule.jobs.map((j, i) => [j.id, i]));
  const columnOf = columnFinder(milp);
  const chosen = new Array<number>(problem.schedule.jobs.length).fill(-1);
  for (const a of assignments) {
    const j = jobIndex.get(a.jobId)!;
    chosen[j] = columnOf(j, a.equipmentId, a.startSlot, a.endSlot - a.startSlot) ?? -1;
  }
  return chosen;
}

/**
 * Finds a run's column in the model by job, heater, start and length (modulating jobs have
 * several lengths): how a run is recognised across models of one problem.
 */
export function columnFinder(
  milp: Milp,
): (jobIndex: number, equipmentId: string, start: number, durationSlots: number) => number | undefined {
  const key = (jobIndex: number, equipmentId: string, start: number, durationSlots: number) =>
    `${jobIndex}\u0000${equipmentId}\u0000${start}\u0000${durationSlots}`;
  const column = new Map(milp.runs.map((r, col) => [key(r.jobIndex, r.option.equipmentId, r.start, r.option.durationSlots), col]));
  return (jobIndex, equipmentId, start, durationSlots) => column.get(key(jobIndex, equipmentId, start, durationSlots));
}

/**
 * The model once a complete plan is known: without the left-out columns (the last ones built) and
 * the rows linking them, so that their penalties no longer scale the model.
 */
export function withoutLeftOutColumns(milp: Milp): Milp {
  if (!milp.skipColumns.size) return milp;
  const first = Math.min(...milp.skipColumns.values());
  if (first + milp.skipColumns.size !== milp.numCols) throw new Error('left-out columns must be the last columns of the model');
  return { ...milp, ...withoutTrailingColumns(milp, first), skipColumns: new Map() };
}

/** Run columns grouped by problem job index. */
export function columnsByJob(milp: Milp, jobCount: number): number[][] {
  const byJob: number[][] = Array.from({ length: jobCount }, () => []);
  milp.runs.forEach((r, col) => byJob[r.jobIndex].push(col));
  return byJob;
}

/** "H1, H3: reason; H2: other reason" — heaters that share a reason named together. */
function groupedReasons(excluded: Record<string, string>): string {
  const byReason = new Map<string, string[]>();
  for (const [id, why] of Object.entries(excluded)) byReason.set(why, [...(byReason.get(why) ?? []), id]);
  return [...byReason].map(([why, ids]) => `${ids.join(', ')}: ${why}`).join('; ');
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The least highest interval average a run can make wherever it starts: its draw once it spans two intervals, else a share of it. */
function leastAverageKw(option: HeaterOption, problem: PlanningProblem): number {
  const runMinutes = option.durationSlots * problem.grid.slotMinutes;
  return option.electricKw * Math.min(1, runMinutes / (2 * problem.demand.intervalMinutes));
}
