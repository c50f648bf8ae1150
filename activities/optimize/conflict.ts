import type { Highs } from 'highs';
import { DateTime } from 'luxon';
import { slotStartMs } from '../../domain/slot-grid.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { Milp, RowLabel } from './milp.ts';

/** Larger models are not worth the extra LP solves an IIS takes. */
const IIS_MAX_COLUMNS = 50_000;
const IIS_SECONDS = 5;
/** HiGHS iis_strategy "from LP": the LP relaxation's irreducible infeasible subsystem. */
const IIS_FROM_LP = 2;

/** A set of jobs that cannot all be placed, and the rules that together keep them apart. */
export interface Conflict {
  jobs: Set<number>;
  text: string;
}

/**
 * Asks HiGHS for an irreducible infeasible subsystem of the model with every job placed (its LP
 * relaxation): the fewest jobs and rules that already contradict each other. Null when the
 * relaxation is feasible (the conflict only exists in whole runs), the model is too large, or
 * HiGHS finds none in time.
 */
export function findConflict(highs: Highs, problem: PlanningProblem, milp: Milp): Conflict | null {
  if (milp.numCols > IIS_MAX_COLUMNS) return null;
  const colUpper = Float64Array.from(milp.colUpper);
  for (const col of milp.skipColumns.values()) colUpper[col] = 0;
  const model = highs.createModel({
    numCols: milp.numCols,
    numRows: milp.numRows,
    colCost: milp.colCost,
    colLower: milp.colLower,
    colUpper,
    rowLower: milp.rowLower,
    rowUpper: milp.rowUpper,
    matrix: { format: 'csc', numRows: milp.numRows, numCols: milp.numCols, starts: milp.starts, indices: milp.indices, values: milp.values },
  });
  try {
    model.options.set({ output_flag: false, time_limit: IIS_SECONDS, iis_strategy: IIS_FROM_LP });
    if (model.run().modelStatus !== highs.constants.modelStatus.infeasible) return null;
    const rows = [...model.getIis().rowIndex].map((row) => milp.rowLabels[row]);
    return describe(problem, rows);
  } finally {
    model.dispose();
  }
}

function describe(problem: PlanningProblem, rows: RowLabel[]): Conflict | null {
  const jobs = new Set<number>();
  const heaterSlots = new Map<string, number[]>();
  const stackingSlots = new Map<string, number[]>();
  const changeoverSlots = new Map<string, number[]>();
  const peakSlots: number[] = [];
  const rules: string[] = [];
  const id = (job: number) => problem.schedule.jobs[job].id;
  const push = (map: Map<string, number[]>, key: string, slot: number) => map.set(key, [...(map.get(key) ?? []), slot]);
  for (const row of rows) {
    if (row.kind === 'job') jobs.add(row.job);
    else if (row.kind === 'heater') push(heaterSlots, row.heaterId, row.slot);
    else if (row.kind === 'stacking') push(stackingSlots, row.heaterId, row.slot);
    else if (row.kind === 'changeover') push(changeoverSlots, row.heaterId, row.slot);
    else if (row.kind === 'peak') peakSlots.push(row.slot);
    else if (row.kind === 'starts') rules.push(`${row.heaterId}'s maxStartsPerDay on ${localDates(problem)[row.day]}`);
    else if (row.kind === 'precedence') rules.push(`${id(row.from)} before ${id(row.to)} (predecessors)`);
  }
  if (!jobs.size) return null;
  for (const [heater, slots] of heaterSlots) rules.push(`${heater} runs one job at a time (${spans(problem, slots)})`);
  for (const [heater, slots] of stackingSlots) rules.push(`${heater}'s capacity for stacked jobs (${spans(problem, slots)})`);
  for (const [heater, slots] of changeoverSlots) rules.push(`${heater}'s changeovers (${spans(problem, slots)})`);
  if (peakSlots.length) rules.push(`peakLimitKw ${problem.settings.peakLimitKw} kW (${spans(problem, peakSlots)})`);
  const names = [...jobs].sort((a, b) => a - b).map(id);
  return { jobs, text: `${names.join(', ')} cannot all run: ${rules.join('; ')}` };
}

/** The horizon's local dates; a day index of the model (`slotDays`) is a position in it. */
const localDates = (problem: PlanningProblem) => [...new Set(problem.slots.map((s) => s.localStart.slice(0, 10)))];

/** Slots as local time spans, e.g. "06:00-08:00, 10:00-10:30" (with the date when the horizon spans days). */
function spans(problem: PlanningProblem, slots: number[]): string {
  const sorted = [...new Set(slots)].sort((a, b) => a - b);
  const multiDay = localDates(problem).length > 1;
  const at = (t: number) => DateTime.fromMillis(slotStartMs(problem.grid, t), { zone: problem.grid.timeZone }).toFormat(multiDay ? 'yyyy-MM-dd HH:mm' : 'HH:mm');
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(`${at(sorted[i])}-${at(sorted[j] + 1)}`);
    i = j + 1;
  }
  return parts.join(', ');
}
