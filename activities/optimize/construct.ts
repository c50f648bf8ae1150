import type { PlanningProblem } from '../../domain/problem.ts';
import type { PeriodCategory } from '../../domain/tariff.ts';
import { columnsByJob, type Milp } from './milp.ts';

/** A complete plan in the MILP's columns: the chosen start column of each job, and its objective. */
export interface ColumnPlan {
  /** Chosen start column per job index. */
  chosen: number[];
  objective: number;
}

/** Site electric load per slot when the chosen start columns run on top of `fixedLoadKw` (default: the base load). */
function electricLoad(problem: PlanningProblem, milp: Milp, chosen: number[], fixedLoadKw?: Float64Array): Float64Array {
  const load = fixedLoadKw ? Float64Array.from(fixedLoadKw) : new Float64Array(problem.grid.slotCount).fill(problem.settings.baseLoadKw);
  for (const col of chosen) {
    const { option, start } = milp.startColumns[col];
    if (option.electricKw > 0) for (let t = start; t < start + option.durationSlots; t++) load[t] += option.electricKw;
  }
  return load;
}

/** Peak load of each billed category, the value its demand column D[c] takes. */
function billedPeaks(problem: PlanningProblem, milp: Milp, load: Float64Array): Map<number, number> {
  const peaks = new Map<number, number>();
  for (const [category, col] of milp.demandColumns) {
    let peak = problem.settings.baseLoadKw;
    problem.slots.forEach((s, t) => {
      if (s.category === category) peak = Math.max(peak, load[t]);
    });
    peaks.set(col, peak);
  }
  return peaks;
}

/** Objective of a set of chosen start columns: their run costs plus each billed category's peak at its demand rate. */
export function planObjective(problem: PlanningProblem, milp: Milp, chosen: number[]): number {
  let cost = chosen.reduce((sum, col) => sum + milp.colCost[col], 0);
  for (const [col, peak] of billedPeaks(problem, milp, electricLoad(problem, milp, chosen))) cost += milp.colCost[col] * peak;
  return cost;
}

/** The plan as a full column vector for HiGHS (demand columns at the plan's peaks, over `fixedLoadKw` in a sub-model). */
export function toColumnVector(problem: PlanningProblem, milp: Milp, chosen: number[], fixedLoadKw?: Float64Array): Float64Array {
  const x = new Float64Array(milp.numCols);
  for (const col of chosen) x[col] = 1;
  for (const [col, peak] of billedPeaks(problem, milp, electricLoad(problem, milp, chosen, fixedLoadKw))) x[col] = peak;
  return x;
}

/** Reads the chosen start column of every job from a column vector. */
export function chosenFromVector(milp: Milp, jobCount: number, x: ArrayLike<number>): number[] {
  const chosen = new Array<number>(jobCount).fill(-1);
  milp.startColumns.forEach((c, col) => {
    if (x[col] > 0.5) chosen[c.jobIndex] = col;
  });
  return chosen;
}

/**
 * Greedy insertion by marginal cost: jobs with the fewest placements first, each on the column
 * that adds the least energy cost plus demand charge, keeping heaters to one job at a time and
 * the site load under `capKw`. Returns null when some job finds no room under the cap.
 */
export function insertByMarginalCost(problem: PlanningProblem, milp: Milp, capKw: number): number[] | null {
  const { grid, slots, settings } = problem;
  const jobCount = problem.schedule.jobs.length;
  const byJob = columnsByJob(milp, jobCount);
  const order = [...byJob.keys()].sort(
    (a, b) => byJob[a].length - byJob[b].length || problem.schedule.jobs[a].deadline.localeCompare(problem.schedule.jobs[b].deadline) || a - b,
  );
  const demandRate = new Map([...milp.demandColumns].map(([category, col]) => [category, milp.colCost[col]]));
  const rateAt = slots.map((s) => demandRate.get(s.category) ?? 0);
  const categoryPeak = new Map([...milp.demandColumns.keys()].map((c) => [c, settings.baseLoadKw]));
  const load = new Float64Array(grid.slotCount).fill(settings.baseLoadKw);
  const busy = new Map(problem.equipment.map((e) => [e.id, new Uint8Array(grid.slotCount)]));
  const chosen = new Array<number>(jobCount).fill(-1);

  for (const job of order) {
    let best = -1;
    let bestCost = Infinity;
    for (const col of byJob[job]) {
      const { option, start } = milp.startColumns[col];
      const end = start + option.durationSlots;
      const heaterBusy = busy.get(option.equipmentId)!;
      let fits = true;
      // Demand increase: per billed category, how far the run lifts its peak.
      const lift = new Map<PeriodCategory, number>();
      for (let t = start; t < end && fits; t++) {
        const after = load[t] + option.electricKw;
        if (heaterBusy[t] || after > capKw + 1e-9) fits = false;
        else if (rateAt[t] > 0 && option.electricKw > 0) {
          const category = slots[t].category;
          lift.set(category, Math.max(lift.get(category) ?? 0, after - categoryPeak.get(category)!));
        }
      }
      if (!fits) continue;
      let cost = milp.colCost[col];
      for (const [category, up] of lift) if (up > 0) cost += up * demandRate.get(category)!;
      if (cost < bestCost - 1e-9) {
        best = col;
        bestCost = cost;
      }
    }
    if (best < 0) return null;
    chosen[job] = best;
    const { option, start } = milp.startColumns[best];
    const heaterBusy = busy.get(option.equipmentId)!;
    for (let t = start; t < start + option.durationSlots; t++) {
      heaterBusy[t] = 1;
      load[t] += option.electricKw;
      const category = slots[t].category;
      if (categoryPeak.has(category)) categoryPeak.set(category, Math.max(categoryPeak.get(category)!, load[t]));
    }
  }
  return chosen;
}

/**
 * The best of the FIFO plan and greedy insertions under a range of peak caps (a lower cap trades
 * energy cost for demand charge). Null only when no attempt places every job.
 */
export function constructPlan(problem: PlanningProblem, milp: Milp, caps = 8): ColumnPlan | null {
  const jobCount = problem.schedule.jobs.length;
  const candidates: number[][] = [];
  if (milp.fifoColumns) candidates.push(milp.fifoColumns);
  const limit = problem.settings.peakLimitKw ?? Infinity;
  const open = insertByMarginalCost(problem, milp, limit);
  if (open) candidates.push(open);
  // Caps between the least any plan can reach (base + the largest unavoidable draw) and the open plan's peak.
  const base = problem.settings.baseLoadKw;
  let floor = base;
  const minDraw = new Array<number>(jobCount).fill(Infinity);
  for (const c of milp.startColumns) minDraw[c.jobIndex] = Math.min(minDraw[c.jobIndex], c.option.electricKw);
  for (const d of minDraw) floor = Math.max(floor, base + d);
  const top = Math.min(limit, open ? Math.max(...electricLoad(problem, milp, open)) : limit);
  if (Number.isFinite(top)) {
    for (let i = 0; i < caps; i++) {
      const cap = floor + ((top - floor) * i) / caps;
      const plan = insertByMarginalCost(problem, milp, cap);
      if (plan) candidates.push(plan);
    }
  }
  let best: ColumnPlan | null = null;
  for (const chosen of candidates) {
    const objective = planObjective(problem, milp, chosen);
    if (!best || objective < best.objective - 1e-9) best = { chosen, objective };
  }
  return best;
}
