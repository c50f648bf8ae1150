import { fifoBaseline } from '../../domain/baseline.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { jobPlacements, runCost, type HeaterOption, type JobPlacements } from '../../domain/heating.ts';
import { demandRates } from '../../domain/load.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { PeriodCategory } from '../../domain/tariff.ts';

/** One binary column: job `jobIndex` runs `option` from slot `start`. */
export interface StartColumn {
  jobIndex: number;
  option: HeaterOption;
  start: number;
}

/**
 * The time-indexed MILP in HiGHS' sparse form (see MODEL.md):
 * binaries x[j,h,s] for every feasible (job, heater, start), continuous D[c] for the peak of each
 * tariff category that carries a demand charge.
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
  startColumns: StartColumn[];
  /** Column index of D[c] per billed category. */
  demandColumns: Map<PeriodCategory, number>;
  /** The FIFO plan's start column per job, when it places every job (a candidate starting plan). */
  fifoColumns: number[] | null;
}

const EPS = 1e-9;

/** Builds the MILP, or throws E003 naming every job that no heater can run at all. */
export function buildMilp(problem: PlanningProblem): Milp {
  const { grid, settings, slots } = problem;
  const limit = settings.peakLimitKw;
  if (limit !== undefined && settings.baseLoadKw > limit + EPS) {
    throw new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No feasible plan', [
      { path: 'settings.baseLoadKw', message: `the site base load of ${settings.baseLoadKw} kW alone exceeds peakLimitKw ${limit} kW` },
    ]);
  }
  const headroom = limit === undefined ? Infinity : limit - settings.baseLoadKw;
  const placements = jobPlacements(problem.schedule.jobs, problem.equipment, grid, problem.tariff);

  const unplaceable: FieldProblem[] = [];
  placements.forEach(({ job, placements: options, excluded }, i) => {
    const withinLimit = options.filter(({ option }) => option.electricKw <= headroom + EPS);
    for (const { option } of options.filter((o) => !withinLimit.includes(o))) {
      excluded[option.equipmentId] = `draws ${round(option.electricKw)} kW, over the ${round(headroom)} kW left under peakLimitKw after the base load`;
    }
    placements[i].placements = withinLimit;
    if (withinLimit.length === 0) {
      const reasons = Object.entries(excluded).map(([id, why]) => `${id}: ${why}`);
      unplaceable.push({ path: `schedule.jobs[${i}]`, message: `job ${job.id} fits no heater (${reasons.join('; ') || 'no heaters at the site'})` });
    }
  });
  if (unplaceable.length) throw new DomainError(ErrorCode.INFEASIBLE_PROBLEM, 'No feasible plan', unplaceable);

  const startColumns: StartColumn[] = [];
  placements.forEach(({ placements: options }, jobIndex) => {
    for (const { option, starts } of options) for (const start of starts) startColumns.push({ jobIndex, option, start });
  });

  const milp = assembleMilp(problem, startColumns, placements.length, new Float64Array(grid.slotCount).fill(settings.baseLoadKw));
  milp.fifoColumns = fifoColumns(problem, milp, placements);
  return milp;
}

/**
 * The model over the given start columns (job indices 0..jobCount-1). `fixedLoadKw` is the load
 * per slot that is there whatever these columns do: the base load, plus, in a neighbourhood
 * sub-model, the jobs held in place.
 */
export function assembleMilp(problem: PlanningProblem, startColumns: StartColumn[], jobCount: number, fixedLoadKw: Float64Array): Milp {
  const { grid, settings, slots } = problem;
  const limit = settings.peakLimitKw;
  // Heater-slot rows only where two or more columns compete for the slot.
  const heaterSlotCover = new Map<string, number>();
  const key = (equipmentId: string, t: number) => `${equipmentId}\u0000${t}`;
  for (const c of startColumns) {
    for (let t = c.start; t < c.start + c.option.durationSlots; t++) {
      const k = key(c.option.equipmentId, t);
      heaterSlotCover.set(k, (heaterSlotCover.get(k) ?? 0) + 1);
    }
  }
  let numRows = jobCount;
  const heaterSlotRow = new Map<string, number>();
  for (const [k, count] of heaterSlotCover) if (count > 1) heaterSlotRow.set(k, numRows++);

  // Peak rows: slots an electric column touches, when a demand charge or a limit applies there.
  const rates = demandRates(problem);
  const billed = (t: number) => (rates.get(slots[t].category) ?? 0) > 0;
  const electricSlot = new Array<boolean>(grid.slotCount).fill(false);
  for (const c of startColumns) if (c.option.electricKw > 0) for (let t = c.start; t < c.start + c.option.durationSlots; t++) electricSlot[t] = true;
  const peakRow = new Array<number>(grid.slotCount).fill(-1);
  for (let t = 0; t < grid.slotCount; t++) if (electricSlot[t] && (billed(t) || limit !== undefined)) peakRow[t] = numRows++;

  const demandColumns = new Map<PeriodCategory, number>();
  for (const [category, rate] of rates) if (rate > 0) demandColumns.set(category, startColumns.length + demandColumns.size);
  const numCols = startColumns.length + demandColumns.size;

  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  const starts = new Int32Array(numCols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const energyRates = slots.map((s) => s.energyRate);
  const slotHours = grid.slotMinutes / 60;

  startColumns.forEach((c, col) => {
    colCost[col] = runCost(c.option, c.start, slotHours, energyRates);
    colUpper[col] = 1;
    integrality[col] = 1;
    indices.push(c.jobIndex);
    values.push(1);
    const end = c.start + c.option.durationSlots;
    for (let t = c.start; t < end; t++) {
      const row = heaterSlotRow.get(key(c.option.equipmentId, t));
      if (row !== undefined) indices.push(row), values.push(1);
    }
    if (c.option.electricKw > 0) {
      for (let t = c.start; t < end; t++) if (peakRow[t] >= 0) indices.push(peakRow[t]), values.push(c.option.electricKw);
    }
    starts[col + 1] = indices.length;
  });
  for (const [category, col] of demandColumns) {
    colCost[col] = rates.get(category)!;
    let floor = 0;
    for (let t = 0; t < grid.slotCount; t++) if (slots[t].category === category) floor = Math.max(floor, fixedLoadKw[t]);
    colLower[col] = floor;
    colUpper[col] = limit ?? Infinity;
    for (let t = 0; t < grid.slotCount; t++) {
      if (peakRow[t] >= 0 && slots[t].category === category) indices.push(peakRow[t]), values.push(-1);
    }
    starts[col + 1] = indices.length;
  }

  const rowLower = new Float64Array(numRows).fill(-Infinity);
  const rowUpper = new Float64Array(numRows);
  for (let j = 0; j < jobCount; j++) rowLower[j] = rowUpper[j] = 1;
  for (const row of heaterSlotRow.values()) rowUpper[row] = 1;
  for (let t = 0; t < grid.slotCount; t++) {
    if (peakRow[t] < 0) continue;
    // D[c] carries the limit when the slot is billed; otherwise the row holds it directly.
    rowUpper[peakRow[t]] = billed(t) ? -fixedLoadKw[t] : limit! - fixedLoadKw[t];
  }

  return {
    numCols,
    numRows,
    colCost,
    colLower,
    colUpper,
    integrality,
    rowLower,
    rowUpper,
    starts,
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
    startColumns,
    demandColumns,
    fifoColumns: null,
  };
}

/** The FIFO baseline in the MILP's columns, or null when it leaves a job out. */
function fifoColumns(problem: PlanningProblem, milp: Milp, placements: JobPlacements[]): number[] | null {
  const fifo = fifoBaseline(problem, placements);
  if (fifo.unscheduled.length) return null;
  const jobIndex = new Map(problem.schedule.jobs.map((j, i) => [j.id, i]));
  const column = new Map(milp.startColumns.map((c, col) => [`${c.option.jobId}\u0000${c.option.equipmentId}\u0000${c.start}`, col]));
  const chosen = new Array<number>(problem.schedule.jobs.length).fill(-1);
  for (const a of fifo.assignments) {
    const col = column.get(`${a.jobId}\u0000${a.equipmentId}\u0000${a.startSlot}`);
    if (col === undefined) return null;
    chosen[jobIndex.get(a.jobId)!] = col;
  }
  return chosen;
}

/** Start columns grouped by job index. */
export function columnsByJob(milp: Milp, jobCount: number): number[][] {
  const byJob: number[][] = Array.from({ length: jobCount }, () => []);
  milp.startColumns.forEach((c, col) => byJob[c.jobIndex].push(col));
  return byJob;
}

const round = (x: number) => Math.round(x * 100) / 100;
