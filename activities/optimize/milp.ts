import { fifoBaseline } from '../../domain/baseline.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { electricKwAt, runCost } from '../../domain/heating.ts';
import { demandRates } from '../../domain/load.ts';
import { jobPlacements, pointOf, type JobPlacements } from '../../domain/placements.ts';
import type { Assignment, UnscheduledJob } from '../../domain/plan.ts';
import { PlanState, planRules, runEnd, type PlanRules, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { demandFloorKw, priorityWeight } from '../../domain/settings.ts';
import type { PeriodCategory } from '../../domain/tariff.ts';

/**
 * The time-indexed MILP in HiGHS' sparse form (see MODEL.md): a binary per feasible run
 * (job, heater, start), a skip column per job (partial plans), continuous D[c] per billed tariff
 * category, and C (makespan) or B (busiest heater) for those objectives.
 */
export interface Milp {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integrality: Int32Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Compressed sparse columns. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** The run of each binary column (columns 0..runs.length-1); job indices are the problem's. */
  runs: Run[];
  /** Problem job indices this model places. */
  jobs: number[];
  skipColumns: Map<number, number>;
  demandColumns: Map<PeriodCategory, number>;
  makespanColumn?: number;
  balanceColumn?: number;
  /** What each row says, to name the constraints of a conflict (`conflict.ts`). */
  rowLabels: RowLabel[];
}

/** The rule a row of the model stands for (slots and days are the grid's; jobs are problem indices). */
export type RowLabel =
  | { kind: 'job'; job: number }
  | { kind: 'heater'; heaterId: string; slot: number }
  | { kind: 'stacking'; heaterId: string; slot: number }
  | { kind: 'starts'; heaterId: string; day: number }
  | { kind: 'changeover'; heaterId: string; slot: number }
  | { kind: 'precedence'; from: number; to: number }
  | { kind: 'peak'; slot: number }
  | { kind: 'objective' };

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
  const problems: FieldProblem[] = [];
  const unplaceable: UnscheduledJob[] = [];
  placements.forEach((jp, i) => {
    const within = jp.placements.filter(({ option }) => option.electricKw <= headroom + EPS);
    for (const { option } of jp.placements.filter((o) => !within.includes(o))) {
      jp.excluded[option.equipmentId] =
        `draws ${round(option.electricKw)} kW, over the ${round(headroom)} kW left under peakLimitKw after the base load`;
    }
    jp.placements = within;
    if (within.length) return;
    const reason = groupedReasons(jp.excluded) || 'no heaters at the site';
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
  const context: ModelContext = { rules, placements, unplaceable, skipPenalty: skipPenalties(problem, runs), fifo: [], restricted };
  const milp = assembleMilp(problem, context, runs, jobs, new PlanState(problem, rules), true);
  context.fifo = fifoColumns(problem, milp, fifo.assignments);
  return { milp, context };
}

/**
 * The model over the given runs for the given jobs, around the runs already placed in `fixed`
 * (nothing for the whole problem; the jobs held in place for a neighbourhood). Runs must be
 * compatible with `fixed` (`fixed.fits`); rows then only couple the given runs.
 */
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export function assembleMilp(
  problem: PlanningProblem,
  context: ModelContext,
  runs: Run[],
  jobs: number[],
  fixed: PlanState,
  allowSkip: boolean,
): Milp {
  const { grid, settings, slots, equipment } = problem;
  const T = grid.slotCount;
  const slotHours = grid.slotMinutes / 60;
  const limit = settings.peakLimitKw;
  const { rules } = context;
  const jobRow = new Map(jobs.map((j, i) => [j, i]));
  const rowLower: number[] = jobs.map(() => 1);
  const rowUpper: number[] = jobs.map(() => 1);
  const rowLabels: RowLabel[] = jobs.map((job) => ({ kind: 'job', job }));
  const addRow = (lower: number, upper: number, label: RowLabel) => {
    rowLower.push(lower);
    rowUpper.push(upper);
    rowLabels.push(label);
    return rowLower.length - 1;
  };
  /** Matrix entries of each column, [row, value, row, value, …]. */
  const entries: number[][] = runs.map((r) => [jobRow.get(r.jobIndex)!, 1]);
  const byHeater = new Map(equipment.map((h) => [h.id, [] as number[]]));
  runs.forEach((r, col) => byHeater.get(r.option.equipmentId)!.push(col));

  for (const heater of equipment) {
    const cols = byHeater.get(heater.id)!;
    if (!cols.length) continue;
    const capacity = rules.stacking.get(heater.id);
    if (capacity != null) {
      // Stacking: the thermal power of the runs in a slot stays within the capacity.
      const demand = new Float64Array(T);
      for (const col of cols) for (let t = runs[col].start; t < runEnd(runs[col]); t++) demand[t] += runs[col].option.thermalKw;
      const row = new Int32Array(T).fill(-1);
      for (let t = 0; t < T; t++)
        if (demand[t] + fixed.stackedOn(heater.id, t) > capacity + EPS)
          row[t] = addRow(-Infinity, capacity - fixed.stackedOn(heater.id, t), { kind: 'stacking', heaterId: heater.id, slot: t });
      for (const col of cols)
        for (let t = runs[col].start; t < runEnd(runs[col]); t++) if (row[t] >= 0) entries[col].push(row[t], runs[col].option.thermalKw);
    } else {
      // One run at a time; a run holds the heater for its min off time after it ends.
      const off = rules.offSlots.get(heater.id)!;
      const held = (r: Run) => Math.min(T, runEnd(r) + off);
      const cover = new Int32Array(T);
      for (const col of cols) for (let t = runs[col].start; t < held(runs[col]); t++) cover[t]++;
      const row = new Int32Array(T).fill(-1);
      for (let t = 0; t < T; t++) if (cover[t] > 1) row[t] = addRow(-Infinity, 1, { kind: 'heater', heaterId: heater.id, slot: t });
      for (const col of cols) for (let t = runs[col].start; t < held(runs[col]); t++) if (row[t] >= 0) entries[col].push(row[t], 1);
      addChangeoverRows(heater.id, cols, off);
    }
    // Starts per local day.
    const max = rules.maxStarts.get(heater.id);
    if (max !== undefined) {
      const byDay = new Map<number, number[]>();
      for (const col of cols) {
        const day = rules.slotDay[runs[col].start];
        byDay.set(day, [...(byDay.get(day) ?? []), col]);
      }
      for (const [day, dayCols] of byDay) {
        const left = max - fixed.startsOn(heater.id, day);
        if (dayCols.length <= left) continue;
        const row = addRow(-Infinity, left, { kind: 'starts', heaterId: heater.id, day });
        for (const col of dayCols) entries[col].push(row, 1);
      }
    }
  }

  /**
   * Changeover from family A to B longer than the off time: while a B run occupies slot t, no A run
   * may have ended within the changeover before t. `M` bounds how many A tails can cover one slot.
   */
  function addChangeoverRows(heaterId: string, cols: number[], off: number) {
    const heater = equipment.find((h) => h.id === heaterId)!;
    for (const c of heater.changeovers) {
      const gap = rules.gapSlots(heaterId, c.fromFamily, c.toFamily);
      if (gap <= off) continue;
      const from = cols.filter((col) => rules.families[runs[col].jobIndex] === c.fromFamily);
      const to = cols.filter((col) => rules.families[runs[col].jobIndex] === c.toFamily);
      if (!from.length || !to.length) continue;
      const tail = new Int32Array(T);
      const occupied = new Int32Array(T);
      let shortest = Infinity;
      for (const col of from) {
        shortest = Math.min(shortest, runs[col].option.durationSlots);
        for (let t = runEnd(runs[col]); t < Math.min(T, runEnd(runs[col]) + gap); t++) tail[t]++;
      }
      for (const col of to) for (let t = runs[col].start; t < runEnd(runs[col]); t++) occupied[t]++;
      const M = Math.max(1, Math.ceil(gap / (shortest + off)));
      const row = new Int32Array(T).fill(-1);
      for (let t = 0; t < T; t++) if (tail[t] && occupied[t]) row[t] = addRow(-Infinity, M, { kind: 'changeover', heaterId, slot: t });
      for (const col of from)
        for (let t = runEnd(runs[col]); t < Math.min(T, runEnd(runs[col]) + gap); t++) if (row[t] >= 0) entries[col].push(row[t], 1);
      for (const col of to) for (let t = runs[col].start; t < runEnd(runs[col]); t++) if (row[t] >= 0) entries[col].push(row[t], M);
    }
  }

  // Precedence between two jobs of this model (those held in place already filtered the runs).
  const colsOfJob = new Map(jobs.map((j) => [j, [] as number[]]));
  runs.forEach((r, col) => colsOfJob.get(r.jobIndex)!.push(col));
  const precedenceRows: { row: number; to: number; from: number; bigM: number }[] = [];
  for (const e of rules.edges) {
    if (!jobRow.has(e.from) || !jobRow.has(e.to)) continue;
    const row = addRow(e.lagSlots, Infinity, { kind: 'precedence', from: e.from, to: e.to });
    for (const col of colsOfJob.get(e.to)!) entries[col].push(row, pointOf(e.toPoint, runs[col].start, runs[col].option.durationSlots));
    for (const col of colsOfJob.get(e.from)!)
      entries[col].push(row, -pointOf(e.fromPoint, runs[col].start, runs[col].option.durationSlots));
    precedenceRows.push({ row, to: e.to, from: e.from, bigM: 2 * T + Math.abs(e.lagSlots) });
  }

  // Site load: demand peaks per billed category, and the contractual limit.
  const rates = costObjective(problem) ? demandRates(problem) : new Map<PeriodCategory, number>();
  const demandColumns = new Map<PeriodCategory, number>();
  const demandBounds = new Map<PeriodCategory, [number, number]>();
  for (const [category, rate] of rates) {
    if (rate <= 0) continue;
    const floor = demandFloorKw(settings, category);
    let fixedPeak = 0;
    for (let t = 0; t < T; t++) if (slots[t].category === category) fixedPeak = Math.max(fixedPeak, fixed.load[t]);
    // A floor above the limit bills the floor whatever the plan does; the limit then holds per slot.
    const carriesLimit = limit === undefined || floor <= limit;
    demandBounds.set(category, carriesLimit ? [Math.max(floor, fixedPeak), limit ?? Infinity] : [floor, floor]);
    demandColumns.set(category, -1);
  }
  const viaDemand = (t: number) =>
    demandColumns.has(slots[t].category) && demandBounds.get(slots[t].category)![1] !== demandBounds.get(slots[t].category)![0];
  const electric = new Uint8Array(T);
  for (const r of runs) if (r.option.electricKw > 0) for (let t = r.start; t < runEnd(r); t++) electric[t] = 1;
  const peakRow = new Int32Array(T).fill(-1);
  for (let t = 0; t < T; t++) {
    if (!electric[t]) continue;
    if (viaDemand(t)) peakRow[t] = addRow(-Infinity, -fixed.load[t], { kind: 'peak', slot: t });
    else if (limit !== undefined) peakRow[t] = addRow(-Infinity, limit - fixed.load[t], { kind: 'peak', slot: t });
  }
  runs.forEach((r, col) => {
    if (r.option.electricKw > 0)
      for (let t = r.start; t < runEnd(r); t++) if (peakRow[t] >= 0) entries[col].push(peakRow[t], electricKwAt(r.option, t));
  });

  // Column costs and the extra columns.
  const energyRates = slots.map((s) => s.energyRate);
  const cost: number[] = runs.map((r) => runObjective(problem, r, slotHours, energyRates));
  const lower: number[] = runs.map(() => 0);
  const upper: number[] = runs.map(() => 1);
  const integer: number[] = runs.map(() => 1);
  const addColumn = (c: number, lo: number, hi: number, column: number[]) => {
    cost.push(c);
    lower.push(lo);
    upper.push(hi);
    integer.push(0);
    entries.push(column);
    return entries.length - 1;
  };
  for (const category of demandColumns.keys()) {
    const column: number[] = [];
    for (let t = 0; t < T; t++) if (peakRow[t] >= 0 && slots[t].category === category && viaDemand(t)) column.push(peakRow[t], -1);
    const [lo, hi] = demandBounds.get(category)!;
    demandColumns.set(category, addColumn(rates.get(category)!, lo, hi, column));
  }
  let makespanColumn: number | undefined;
  let balanceColumn: number | undefined;
  if (settings.objective === 'minimize_makespan') {
    // C ≥ every run's end; and C ≥ a heater's first possible start + all the work it takes on (a valid cut).
    const column: number[] = [];
    for (const j of jobs) {
      const row = addRow(-Infinity, 0, { kind: 'objective' });
      for (const col of colsOfJob.get(j)!) entries[col].push(row, runEnd(runs[col]));
      column.push(row, -1);
    }
    for (const heater of equipment) {
      const cols = byHeater.get(heater.id)!;
      if (!cols.length || rules.stacking.get(heater.id) != null) continue;
      const held = fixed.placedOn(heater.id);
      const first = Math.min(
        cols.reduce((m, c) => Math.min(m, runs[c].start), Infinity),
        held.reduce((m, r) => Math.min(m, r.start), Infinity),
      );
      const heldSlots = held.reduce((s, r) => s + r.option.durationSlots, 0);
      const row = addRow(-Infinity, -(first + heldSlots), { kind: 'objective' });
      for (const col of cols) entries[col].push(row, runs[col].option.durationSlots);
      column.push(row, -1);
    }
    const fixedEnd = fixed.runs.reduce((m, r) => (r ? Math.max(m, runEnd(r)) : m), 0);
    makespanColumn = addColumn(slotHours, fixedEnd, T, column);
  } else if (settings.objective === 'balance_resources') {
    const column: number[] = [];
    let fixedMax = 0;
    for (const heater of equipment) {
      const heldSlots = fixed.placedOn(heater.id).reduce((s, r) => s + r.option.durationSlots, 0);
      fixedMax = Math.max(fixedMax, heldSlots);
      const cols = byHeater.get(heater.id)!;
      if (!cols.length) continue;
      const row = addRow(-Infinity, -heldSlots, { kind: 'objective' });
      for (const col of cols) entries[col].push(row, runs[col].option.durationSlots);
      column.push(row, -1);
    }
    balanceColumn = addColumn(slotHours, fixedMax, Infinity, column);
  }
  const skipColumns = new Map<number, number>();
  const skipLinks = precedenceRows.map((p) => ({ ...p, link: addRow(0, Infinity, { kind: 'precedence', from: p.from, to: p.to }) }));
  for (const j of jobs) {
    const column = [jobRow.get(j)!, 1];
    for (const p of skipLinks) {
      if (p.to === j) column.push(p.row, p.bigM, p.link, 1);
      if (p.from === j) column.push(p.link, -1);
    }
    skipColumns.set(j, addColumn(context.skipPenalty[j], 0, allowSkip ? 1 : 0, column));
  }

  const numCols = entries.length;
  const starts = new Int32Array(numCols + 1);
  let nonzeros = 0;
  entries.forEach((e, col) => (starts[col + 1] = nonzeros += e.length / 2));
  const indices = new Int32Array(nonzeros);
  const values = new Float64Array(nonzeros);
  entries.forEach((e, col) => {
    for (let k = 0; k < e.length; k += 2) {
      indices[starts[col] + k / 2] = e[k];
      values[starts[col] + k / 2] = e[k + 1];
    }
  });
  return {
    numCols,
    numRows: rowLower.length,
    colCost: Float64Array.from(cost),
    colLower: Float64Array.from(lower),
    colUpper: Float64Array.from(upper),
    integrality: Int32Array.from(integer),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    starts,
    indices,
    values,
    runs,
    jobs,
    skipColumns,
    demandColumns,
    makespanColumn,
    balanceColumn,
    rowLabels,
  };
}

/** A run's own share of the objective: its energy (cost objectives) plus its weighted lateness (tardiness). */
export function runObjective(problem: PlanningProblem, run: Run, slotHours: number, energyRates: number[]): number {
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
  const demand = costObjective(problem) ? demandRates(problem) : new Map<PeriodCategory, number>();
  const maxDemandRate = Math.max(0, ...demand.values());
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
      .map((p, i) => ({ p, estimate: cheapest[i] + p.option.electricKw * maxDemandRate }))
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
    for (const [category, rate] of demand) bound += rate * Math.max(problem.settings.baseLoadKw, demandFloorKw(problem.settings, category));
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
    for (const [category, rate] of demandRates(problem)) ceiling += rate * Math.max(peak, demandFloorKw(settings, category));
  }
  const minWeight = Math.min(...settings.priorityWeights);
  return Float64Array.from(problem.schedule.jobs, (job) => (ceiling * priorityWeight(settings, job.priority)) / minWeight);
}

/** The FIFO baseline in the model's columns (-1 for the jobs it leaves out). */
function fifoColumns(problem: PlanningProblem, milp: Milp, assignments: Assignment[]): number[] {
  const jobIndex = new Map(problem.schedule.jobs.map((j, i) => [j.id, i]));
  const column = new Map(milp.runs.map((r, col) => [runKey(r.jobIndex, r.option.equipmentId, r.start, r.option.durationSlots), col]));
  const chosen = new Array<number>(problem.schedule.jobs.length).fill(-1);
  for (const a of assignments) {
    const j = jobIndex.get(a.jobId)!;
    chosen[j] = column.get(runKey(j, a.equipmentId, a.startSlot, a.endSlot - a.startSlot)) ?? -1;
  }
  return chosen;
}

/** Identifies a run across models of one problem: job, heater, start and length (modulating jobs have several). */
export const runKey = (jobIndex: number, equipmentId: string, start: number, durationSlots: number) =>
  `${jobIndex}\u0000${equipmentId}\u0000${start}\u0000${durationSlots}`;

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
