import prand from 'pure-rand';
import { electricKwAt, type HeaterOption } from '../../domain/heating.ts';
import { topologicalOrder } from '../../domain/placements.ts';
import { firstNotBefore, PlanState, runEnd, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { DemandTracker } from '../../domain/load.ts';
import { columnsByJob, costObjective, type Milp, type ModelContext } from './milp.ts';

/** Randomised active schedules tried in makespan mode (time allowing), besides the one by plain most-work-remaining. */
const MAKESPAN_RESTARTS = 300;

/** A plan in the model's columns: the chosen run column per problem job (-1: unscheduled), and its objective. */
export interface ColumnPlan {
  chosen: number[];
  objective: number;
}

/** The plan's state (load, heaters, …) on top of `fixed`'s runs, or from scratch. */
function stateOf(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  chosen: number[],
  jobs: Iterable<number> = milp.jobs,
): PlanState {
  const state = new PlanState(problem, context.rules);
  for (const j of jobs) if (chosen[j] >= 0) state.place(milp.runs[chosen[j]]);
  return state;
}

/** Values of the model's extra columns (heater states, D, C, B, skips) for a plan whose runs sit on `state`. */
function extraColumns(problem: PlanningProblem, milp: Milp, chosen: number[], state: PlanState): Map<number, number> {
  const values = new Map<number, number>();
  for (const { heaterId, start, idle } of milp.stateColumns) {
    for (const b of state.blocksOn(heaterId)) {
      if (start[b.from] >= 0) values.set(start[b.from], 1);
      for (const [from, to] of b.standby) for (let t = from; t < to; t++) if (idle[t] >= 0) values.set(idle[t], 1);
    }
  }
  if (milp.demandColumns.size) {
    const billed = new DemandTracker(problem.demand, state.siteLoad()).billed;
    for (const [key, col] of milp.demandColumns) {
      const d = problem.demand.determinants.findIndex((x) => x.key === key);
      const raised = billed[d] - problem.demand.determinants[d].floor.floorKw;
      values.set(col, Math.min(Math.max(raised, milp.colLower[col]), Math.max(milp.colUpper[col], milp.colLower[col])));
    }
  }
  if (milp.makespanColumn !== undefined) {
    values.set(
      milp.makespanColumn,
      state.runs.reduce((m, r) => (r ? Math.max(m, runEnd(r)) : m), milp.colLower[milp.makespanColumn]),
    );
  }
  if (milp.balanceColumn !== undefined) {
    let busiest = milp.colLower[milp.balanceColumn];
    for (const h of problem.equipment)
      busiest = Math.max(
        busiest,
        state.placedOn(h.id).reduce((s, r) => s + r.option.durationSlots, 0),
      );
    values.set(milp.balanceColumn, busiest);
  }
  for (const [job, col] of milp.skipColumns) values.set(col, chosen[job] < 0 ? 1 : 0);
  return values;
}

/** Objective of a plan of the whole model (skip penalties included). */
export function planObjective(problem: PlanningProblem, context: ModelContext, milp: Milp, chosen: number[]): number {
  let objective = 0;
  for (const j of milp.jobs) if (chosen[j] >= 0) objective += milp.colCost[chosen[j]];
  for (const [col, value] of extraColumns(problem, milp, chosen, stateOf(problem, context, milp, chosen)))
    objective += milp.colCost[col] * value;
  return objective;
}

/** The plan as a column vector for HiGHS; `fixed` holds the runs kept in place around a neighbourhood model. */
export function toColumnVector(problem: PlanningProblem, milp: Milp, chosen: number[], fixed: PlanState): Float64Array {
  const x = new Float64Array(milp.numCols);
  // Extra columns are read off a copy of `fixed` with this model's runs added.
  const combined = new PlanState(problem, fixed.rules);
  for (const r of fixed.runs) if (r) combined.place(r);
  for (const j of milp.jobs) {
    if (chosen[j] < 0) continue;
    x[chosen[j]] = 1;
    combined.place(milp.runs[chosen[j]]);
  }
  for (const [col, value] of extraColumns(problem, milp, chosen, combined)) x[col] = value;
  return x;
}

/** Reads the chosen run column of each of the model's jobs from a column vector (-1 when skipped). */
export function chosenFromVector(milp: Milp, jobCount: number, x: ArrayLike<number>): number[] {
  const chosen = new Array<number>(jobCount).fill(-1);
  milp.runs.forEach((r, col) => {
    if (x[col] > 0.5) chosen[r.jobIndex] = col;
  });
  return chosen;
}

/** `base` plus what running `run` adds to the demand charges (the rise of each billed peak over its floor and the load so far, times its rate). */
function withDemandLift(base: number, run: Run, billed: DemandTracker): number {
  if (run.option.electricKw <= 0) return base;
  return base + billed.liftCost(run.start, runEnd(run), (t) => electricKwAt(run.option, t));
}

/** Greedy insertion's running plan: its state, each heater's running slots, and each demand charge's billed peak. */
interface Insertion {
  state: PlanState;
  busySlots: Map<string, number>;
  billed: DemandTracker;
}

/**
 * Greedy insertion: jobs in precedence order, the most constrained first, each on the run that
 * adds least to the objective (energy plus the rise of each billed peak times its demand rate;
 * the end for makespan; the heater's load for balance), keeping every rule and the site load
 * under `capKw`. A job with no room stays unscheduled (-1).
 */
function insertGreedily(problem: PlanningProblem, context: ModelContext, milp: Milp, capKw: number): number[] {
  const jobCount = problem.schedule.jobs.length;
  const byJob = columnsByJob(milp, jobCount);
  const jobs = problem.schedule.jobs;
  const inModel = new Set(milp.jobs);
  const order = topologicalOrder(
    jobCount,
    context.rules.edges,
    (a, b) => byJob[a].length - byJob[b].length || jobs[a].deadline.localeCompare(jobs[b].deadline) || a - b,
  ).filter((j) => inModel.has(j));
  const state = new PlanState(problem, context.rules);
  const insertion: Insertion = {
    state,
    busySlots: new Map(problem.equipment.map((e) => [e.id, 0])),
    billed: new DemandTracker(problem.demand, state.load),
  };
  const chosen = new Array<number>(jobCount).fill(-1);
  for (const job of order) {
    const best = cheapestInsertion(problem, milp, insertion, byJob[job], capKw);
    if (best < 0) insertion.state.skip(job);
    else {
      chosen[job] = best;
      insert(insertion, milp.runs[best]);
    }
  }
  return chosen;
}

/** The column among `cols` that fits under `capKw` and adds least (ties: the shorter run, or the earlier end), or -1. */
function cheapestInsertion(problem: PlanningProblem, milp: Milp, insertion: Insertion, cols: number[], capKw: number): number {
  const { state } = insertion;
  let best = -1;
  let bestScore = Infinity;
  let bestTie = Infinity;
  for (const col of cols) {
    const run = milp.runs[col];
    let overCap = false;
    for (let t = run.start; t < runEnd(run) && !overCap; t++) overCap = state.load[t] + electricKwAt(run.option, t) > capKw + 1e-9;
    if (overCap || !state.fits(run)) continue;
    const [score, tie] = insertionScore(problem, milp, insertion, col);
    if (score < bestScore - 1e-9 || (score < bestScore + 1e-9 && tie < bestTie)) {
      best = col;
      bestScore = score;
      bestTie = tie;
    }
  }
  return best;
}

/** What inserting the column adds to the objective, and what breaks ties. */
function insertionScore(problem: PlanningProblem, milp: Milp, { busySlots, billed }: Insertion, col: number): [number, number] {
  const run = milp.runs[col];
  if (costObjective(problem)) return [withDemandLift(milp.colCost[col], run, billed), 0];
  if (problem.settings.objective === 'minimize_makespan') return [runEnd(run), run.option.durationSlots];
  return [busySlots.get(run.option.equipmentId)! + run.option.durationSlots, runEnd(run)];
}

function insert({ state, busySlots, billed }: Insertion, run: Run): void {
  state.place(run);
  busySlots.set(run.option.equipmentId, busySlots.get(run.option.equipmentId)! + run.option.durationSlots);
  billed.add(run.start, runEnd(run), (t) => electricKwAt(run.option, t));
}

/**
 * Giffler–Thompson active schedule for makespan: repeatedly take the ready job (predecessors
 * decided) that can finish first, and on its heater run whichever conflicting ready job (one that
 * could start there before that finish) ranks highest by `rank`, as early as it fits.
 */
function activeSchedule(problem: PlanningProblem, context: ModelContext, milp: Milp, rank: ArrayLike<number>): number[] {
  const jobCount = problem.schedule.jobs.length;
  const state = new PlanState(problem, context.rules);
  const chosen = new Array<number>(jobCount).fill(-1);
  const { ready, decide } = precedenceQueue(context, milp, jobCount);
  const earliest = earliestFitting(milp, state, columnsByJob(milp, jobCount));
  while (ready.size) {
    let first = -1;
    for (const job of [...ready].sort((a, b) => a - b)) {
      const col = earliest(job);
      if (col < 0) {
        state.skip(job);
        decide(job);
      } else if (first < 0 || runEnd(milp.runs[col]) < runEnd(milp.runs[first])) first = col;
    }
    if (first < 0) continue;
    const heater = milp.runs[first].option.equipmentId;
    const finish = runEnd(milp.runs[first]);
    let pick = first;
    for (const job of ready) {
      const picked = milp.runs[pick].jobIndex;
      if (job === picked) continue;
      const col = earliest(job, heater);
      if (col < 0 || milp.runs[col].start >= finish) continue;
      if (rank[job] > rank[picked] || (rank[job] === rank[picked] && job < picked)) pick = col;
    }
    chosen[milp.runs[pick].jobIndex] = pick;
    state.place(milp.runs[pick]);
    decide(milp.runs[pick].jobIndex);
  }
  return chosen;
}

/** The jobs whose predecessors are all decided; `decide` takes a job out and releases its successors. */
function precedenceQueue(context: ModelContext, milp: Milp, jobCount: number): { ready: Set<number>; decide: (job: number) => void } {
  const inModel = new Set(milp.jobs);
  const waitingFor = new Array<number>(jobCount).fill(0);
  const successors: number[][] = Array.from({ length: jobCount }, () => []);
  for (const e of context.rules.edges) {
    if (!inModel.has(e.from) || !inModel.has(e.to)) continue;
    waitingFor[e.to]++;
    successors[e.from].push(e.to);
  }
  const ready = new Set(milp.jobs.filter((j) => waitingFor[j] === 0));
  const decide = (job: number) => {
    ready.delete(job);
    for (const k of successors[job]) if (--waitingFor[k] === 0) ready.add(k);
  };
  return { ready, decide };
}

/** For a job, the fitting run that ends first (on `heater`, if given), skipping past the runs that block a heater; -1 if none. */
function earliestFitting(milp: Milp, state: PlanState, byJob: number[][]): (job: number, heater?: string) => number {
  // Each job's runs per option (heater and length), by start as built: on each, the first that fits ends first.
  const runsOn = byJob.map((cols) => {
    const byOption = new Map<HeaterOption, number[]>();
    for (const col of cols) {
      const list = byOption.get(milp.runs[col].option);
      if (list) list.push(col);
      else byOption.set(milp.runs[col].option, [col]);
    }
    return byOption;
  });
  return (job, heater) => {
    let best = -1;
    for (const [option, cols] of runsOn[job]) {
      if (heater !== undefined && option.equipmentId !== heater) continue;
      let i = 0;
      while (i < cols.length) {
        const run = milp.runs[cols[i]];
        if (best >= 0 && runEnd(run) >= runEnd(milp.runs[best])) break;
        const next = state.nextStartToTry(run);
        if (next === null) {
          best = cols[i];
          break;
        }
        i = firstNotBefore(i + 1, cols.length, (k) => milp.runs[cols[k]].start < next);
      }
    }
    return best;
  };
}

/** Work left from each job to the end of its longest chain of successors (shortest durations), in slots. */
function remainingWork(problem: PlanningProblem, context: ModelContext, milp: Milp): Float64Array {
  const jobCount = problem.schedule.jobs.length;
  const shortest = new Float64Array(jobCount).fill(Infinity);
  for (const r of milp.runs) shortest[r.jobIndex] = Math.min(shortest[r.jobIndex], r.option.durationSlots);
  const order = topologicalOrder(jobCount, context.rules.edges, (a, b) => a - b);
  const work = new Float64Array(jobCount);
  for (const j of [...order].reverse()) {
    let tail = 0;
    for (const e of context.rules.edgesByJob[j]) if (e.from === j) tail = Math.max(tail, work[e.to]);
    work[j] = (Number.isFinite(shortest[j]) ? shortest[j] : 0) + tail;
  }
  return work;
}

/**
 * The best of the FIFO plan and greedy insertions under a range of peak caps (a lower cap trades
 * energy cost for demand charge), and in makespan mode of active schedules (restarts end at `until`). Plans that leave jobs out carry their skip penalties, so a
 * complete plan always wins over a partial one.
 */
export function constructPlan(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  { caps = 8, until = Infinity }: { caps?: number; until?: number } = {},
): ColumnPlan {
  const jobCount = problem.schedule.jobs.length;
  const limit = problem.settings.peakLimitKw ?? Infinity;
  const open = insertGreedily(problem, context, milp, limit);
  const candidates: number[][] = [context.fifo, open];
  if (milp.demandColumns.size) {
    // Caps between the least any plan can reach (base + the largest unavoidable draw) and the open plan's peak.
    const base = problem.settings.baseLoadKw;
    const minDraw = new Array<number>(jobCount).fill(Infinity);
    for (const r of milp.runs) minDraw[r.jobIndex] = Math.min(minDraw[r.jobIndex], r.option.electricKw);
    const floor = milp.jobs.reduce((f, j) => Math.max(f, base + minDraw[j]), base);
    const top = Math.min(limit, Math.max(...stateOf(problem, context, milp, open).load));
    for (let i = 0; i < caps; i++) candidates.push(insertGreedily(problem, context, milp, floor + ((top - floor) * i) / caps));
  }
  if (problem.settings.objective === 'minimize_makespan') {
    // Active schedules by most work remaining, then with seeded noise on that rank.
    const work = remainingWork(problem, context, milp);
    candidates.push(activeSchedule(problem, context, milp, work));
    const rng = prand.xoroshiro128plus(jobCount);
    for (let i = 0; i < MAKESPAN_RESTARTS && performance.now() < until; i++) {
      const noisy = Float64Array.from(work, (w) => w * (1 + prand.unsafeUniformIntDistribution(0, 1000, rng) / 2000));
      candidates.push(activeSchedule(problem, context, milp, noisy));
    }
  }
  let best: ColumnPlan | undefined;
  for (const chosen of candidates) {
    const objective = planObjective(problem, context, milp, chosen);
    if (!best || objective < best.objective - 1e-9) best = { chosen, objective };
  }
  return costObjective(problem) ? reinsertJobs(problem, context, milp, best!, until) : best!;
}

/**
 * Local search on a cost plan: take each placed job out and put it back on the run that now adds
 * least (energy plus the rise of each billed peak above the others' load); repeat while a pass
 * improves, up to `until`.
 */
function reinsertJobs(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  until = Infinity,
  passes = 5,
): ColumnPlan {
  const byJob = columnsByJob(milp, problem.schedule.jobs.length);
  const chosen = [...plan.chosen];
  const state = new PlanState(problem, context.rules);
  for (const k of milp.jobs) {
    if (chosen[k] >= 0) state.place(milp.runs[chosen[k]]);
    else state.skip(k);
  }
  for (let pass = 0; pass < passes && performance.now() < until; pass++) {
    let moved = false;
    for (const job of milp.jobs) {
      if (chosen[job] < 0 || performance.now() >= until) continue;
      state.remove(milp.runs[chosen[job]]);
      const best = cheapestReinsertion(problem, milp, state, byJob[job], chosen[job]);
      if (best !== chosen[job]) {
        chosen[job] = best;
        moved = true;
      }
      state.place(milp.runs[best]);
    }
    if (!moved) break;
  }
  const objective = planObjective(problem, context, milp, chosen);
  return objective < plan.objective - 1e-9 ? { chosen, objective } : plan;
}

/** The column among `cols` that adds least to the plan in `state` (which no longer holds the job), `current` unless another is cheaper. */
function cheapestReinsertion(problem: PlanningProblem, milp: Milp, state: PlanState, cols: number[], current: number): number {
  // Each demand charge's billed peak without this job.
  const billed = new DemandTracker(problem.demand, state.load);
  const added = (col: number) => withDemandLift(milp.colCost[col], milp.runs[col], billed);
  let best = current;
  let bestCost = added(best);
  for (const col of cols) {
    if (col === best || !state.fits(milp.runs[col])) continue;
    const cost = added(col);
    if (cost < bestCost - 1e-6) {
      best = col;
      bestCost = cost;
    }
  }
  return best;
}

/** Whether the plan places every job of the model. */
export const isComplete = (milp: Milp, plan: ColumnPlan) => milp.jobs.every((j) => plan.chosen[j] >= 0);

/** The plan with the lower objective (the first on a tie), or whichever there is. */
export function better(a: ColumnPlan | null, b: ColumnPlan | null): ColumnPlan | null {
  if (!a) return b;
  if (!b) return a;
  return b.objective < a.objective ? b : a;
}
