import prand from 'pure-rand';
import { electricKwAt, type HeaterOption } from '../../domain/heating.ts';
import { topologicalOrder } from '../../domain/placements.ts';
import { PlanState, runEnd } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { PeriodCategory } from '../../domain/tariff.ts';
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

/** Values of the model's extra columns (D, C, B, skips) for a plan whose runs sit on `state`. */
function extraColumns(problem: PlanningProblem, milp: Milp, chosen: number[], state: PlanState): Map<number, number> {
  const values = new Map<number, number>();
  for (const [category, col] of milp.demandColumns) {
    let peak = milp.colLower[col];
    problem.slots.forEach((s, t) => {
      if (s.category === category) peak = Math.max(peak, state.load[t]);
    });
    values.set(col, Math.min(Math.max(peak, milp.colLower[col]), Math.max(milp.colUpper[col], milp.colLower[col])));
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

/**
 * Greedy insertion: jobs in precedence order, the most constrained first, each on the run that
 * adds least to the objective (energy plus the rise of each billed peak times its demand rate;
 * the end for makespan; the heater's load for balance), keeping every rule and the site load
 * under `capKw`. A job with no room stays unscheduled (-1).
 */
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export function insertGreedily(problem: PlanningProblem, context: ModelContext, milp: Milp, capKw: number): number[] {
  const { slots, settings } = problem;
  const jobCount = problem.schedule.jobs.length;
  const byJob = columnsByJob(milp, jobCount);
  const jobs = problem.schedule.jobs;
  const inModel = new Set(milp.jobs);
  const order = topologicalOrder(
    jobCount,
    context.rules.edges,
    (a, b) => byJob[a].length - byJob[b].length || jobs[a].deadline.localeCompare(jobs[b].deadline) || a - b,
  ).filter((j) => inModel.has(j));
  const demandRate = new Map([...milp.demandColumns].map(([category, col]) => [category, milp.colCost[col]]));
  const categoryPeak = new Map(
    [...milp.demandColumns].map(([category, col]) => [category, Math.max(settings.baseLoadKw, milp.colLower[col])]),
  );
  const state = new PlanState(problem, context.rules);
  const busySlots = new Map(problem.equipment.map((e) => [e.id, 0]));
  const chosen = new Array<number>(jobCount).fill(-1);
  const costs = costObjective(problem);

  for (const job of order) {
    let best = -1;
    let bestScore = Infinity;
    let bestTie = Infinity;
    for (const col of byJob[job]) {
      const run = milp.runs[col];
      const { option, start } = run;
      const end = runEnd(run);
      let overCap = false;
      for (let t = start; t < end && !overCap; t++) overCap = state.load[t] + electricKwAt(option, t) > capKw + 1e-9;
      if (overCap || !state.fits(run)) continue;
      let score: number;
      let tie = 0;
      if (costs) {
        score = milp.colCost[col];
        const lift = new Map<PeriodCategory, number>();
        if (option.electricKw > 0) {
          for (let t = start; t < end; t++) {
            const category = slots[t].category;
            if (!demandRate.has(category)) continue;
            lift.set(category, Math.max(lift.get(category) ?? 0, state.load[t] + electricKwAt(option, t) - categoryPeak.get(category)!));
          }
        }
        for (const [category, up] of lift) if (up > 0) score += up * demandRate.get(category)!;
      } else if (settings.objective === 'minimize_makespan') {
        score = end;
        tie = option.durationSlots;
      } else {
        score = busySlots.get(option.equipmentId)! + option.durationSlots;
        tie = end;
      }
      if (score < bestScore - 1e-9 || (score < bestScore + 1e-9 && tie < bestTie)) {
        best = col;
        bestScore = score;
        bestTie = tie;
      }
    }
    if (best < 0) {
      state.skip(job);
      continue;
    }
    const run = milp.runs[best];
    chosen[job] = best;
    state.place(run);
    busySlots.set(run.option.equipmentId, busySlots.get(run.option.equipmentId)! + run.option.durationSlots);
    for (let t = run.start; t < runEnd(run); t++) {
      const category = slots[t].category;
      if (categoryPeak.has(category)) categoryPeak.set(category, Math.max(categoryPeak.get(category)!, state.load[t]));
    }
  }
  return chosen;
}

/**
 * Giffler–Thompson active schedule for makespan: repeatedly take the ready job (predecessors
 * decided) that can finish first, and on its heater run whichever conflicting ready job (one that
 * could start there before that finish) ranks highest by `rank`, as early as it fits.
 */
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export function activeSchedule(problem: PlanningProblem, context: ModelContext, milp: Milp, rank: ArrayLike<number>): number[] {
  const jobCount = problem.schedule.jobs.length;
  const byJob = columnsByJob(milp, jobCount);
  const inModel = new Set(milp.jobs);
  const waitingFor = new Array<number>(jobCount).fill(0);
  const successors: number[][] = Array.from({ length: jobCount }, () => []);
  for (const e of context.rules.edges) {
    if (!inModel.has(e.from) || !inModel.has(e.to)) continue;
    waitingFor[e.to]++;
    successors[e.from].push(e.to);
  }
  const state = new PlanState(problem, context.rules);
  const chosen = new Array<number>(jobCount).fill(-1);
  const ready = new Set(milp.jobs.filter((j) => waitingFor[j] === 0));
  const decide = (job: number) => {
    ready.delete(job);
    for (const k of successors[job]) if (--waitingFor[k] === 0) ready.add(k);
  };
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
  /** The fitting run of `job` that ends first (on `heater`, if given), skipping past the runs that block a heater. */
  const earliest = (job: number, heater?: string) => {
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
        i = firstAtOrAfter(cols, next, i + 1);
      }
    }
    return best;
  };
  const firstAtOrAfter = (cols: number[], start: number, from: number) => {
    let [lo, hi] = [from, cols.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (milp.runs[cols[mid]].start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
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
    let pick = milp.runs[first].jobIndex;
    let pickCol = first;
    for (const job of ready) {
      if (job === pick) continue;
      const col = earliest(job, heater);
      if (col < 0 || milp.runs[col].start >= finish) continue;
      if (rank[job] > rank[pick] || (rank[job] === rank[pick] && job < pick)) {
        pick = job;
        pickCol = col;
      }
    }
    chosen[pick] = pickCol;
    state.place(milp.runs[pickCol]);
    decide(pick);
  }
  return chosen;
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
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export function reinsertJobs(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  until = Infinity,
  passes = 5,
): ColumnPlan {
  const { slots } = problem;
  const T = problem.grid.slotCount;
  const byJob = columnsByJob(milp, problem.schedule.jobs.length);
  const rate = slots.map((s) => {
    const col = milp.demandColumns.get(s.category);
    return col === undefined ? 0 : milp.colCost[col];
  });
  const categories = [...milp.demandColumns];
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
      // Each billed category's peak without this job.
      const peak = new Map(categories.map(([category, col]) => [category, milp.colLower[col]]));
      for (let t = 0; t < T; t++)
        if (peak.has(slots[t].category)) peak.set(slots[t].category, Math.max(peak.get(slots[t].category)!, state.load[t]));
      const added = (col: number) => {
        const run = milp.runs[col];
        let cost = milp.colCost[col];
        const lift = new Map<PeriodCategory, number>();
        for (let t = run.start; t < runEnd(run); t++) {
          if (!rate[t]) continue;
          const over = state.load[t] + electricKwAt(run.option, t) - peak.get(slots[t].category)!;
          if (over > (lift.get(slots[t].category) ?? 0)) lift.set(slots[t].category, over);
        }
        for (const [category, up] of lift) cost += up * milp.colCost[milp.demandColumns.get(category)!];
        return cost;
      };
      let best = chosen[job];
      let bestCost = added(best);
      for (const col of byJob[job]) {
        if (col === best || !state.fits(milp.runs[col])) continue;
        const cost = added(col);
        if (cost < bestCost - 1e-6) {
          best = col;
          bestCost = cost;
        }
      }
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
