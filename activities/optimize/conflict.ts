import type { Highs } from 'highs';
import { DateTime } from 'luxon';
import { slotStartMs } from '../../domain/slot-grid.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { PlanState, runEnd } from '../../domain/plan-state.ts';
import type { RowLabel } from './constraints.ts';
import { withModel } from './highs.ts';
import { assembleMilp, type Milp, type ModelContext } from './milp.ts';

/** Bigger conflict models take seconds of LP solves, past the time limit: not worth it for an explanation. */
const IIS_MAX_COLUMNS = 4_000;
/** More jobs left out than this is an overloaded day, not a conflict to explain. */
const MAX_LEFT_OUT = 5;
/** A subsystem with more jobs than this explains nothing a planner can act on. */
const MAX_CONFLICT_JOBS = 8;
/** HiGHS iis_strategy "from LP": the LP relaxation's irreducible infeasible subsystem. */
const IIS_FROM_LP = 2;

/** A set of jobs that cannot all be placed, and the rules that together keep them apart. */
export interface Conflict {
  jobs: Set<number>;
  text: string;
}

/**
 * The jobs a plan left out, together with every job that could run at the same time (or within an
 * off time or changeover of it), all placed:
 * when that model's LP relaxation is already infeasible, HiGHS's irreducible infeasible subsystem
 * of it names the fewest jobs and rules that contradict each other. Null when the relaxation is
 * feasible (the conflict only exists in whole runs), or the model or the conflict is too large.
 */
export function findConflict(highs: Highs, problem: PlanningProblem, context: ModelContext, milp: Milp, chosen: number[]): Conflict | null {
  const left = milp.jobs.filter((j) => chosen[j] < 0);
  if (!left.length || left.length > MAX_LEFT_OUT) return null;
  const windows = left.map((j) => {
    const runs = milp.runs.filter((r) => r.jobIndex === j);
    return [Math.min(...runs.map((r) => r.start)), Math.max(...runs.map(runEnd))];
  });
  // A run that ends or starts within an off time or a changeover of the window holds it too.
  const reach = Math.max(
    0,
    ...context.rules.offSlots.values(),
    ...problem.equipment.flatMap((h) => h.changeovers.map((c) => Math.ceil(c.minutes / problem.grid.slotMinutes))),
  );
  const near = new Set(left);
  for (const r of milp.runs) if (windows.some(([from, to]) => r.start < to + reach && runEnd(r) > from - reach)) near.add(r.jobIndex);
  const jobs = milp.jobs.filter((j) => near.has(j));
  const runs = milp.runs.filter((r) => near.has(r.jobIndex));
  if (runs.length > IIS_MAX_COLUMNS) return null;
  const sub = assembleMilp(problem, context, runs, jobs, new PlanState(problem, context.rules), false);
  return withModel(
    highs,
    sub,
    (model) => {
      model.options.set({ output_flag: false, iis_strategy: IIS_FROM_LP });
      if (model.run().modelStatus !== highs.constants.modelStatus.infeasible) return null;
      const conflict = describe(
        problem,
        [...model.getIis().rowIndex].map((row) => sub.rowLabels[row]),
      );
      return conflict && conflict.jobs.size <= MAX_CONFLICT_JOBS ? conflict : null;
    },
    { relaxed: true },
  );
}

function describe(problem: PlanningProblem, rows: RowLabel[]): Conflict | null {
  const jobs = new Set<number>();
  const heaterSlots = new Map<string, number[]>();
  const stackingSlots = new Map<string, number[]>();
  const changeoverSlots = new Map<string, number[]>();
  const stateSlots = new Map<string, number[]>();
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
    // Rows 11 only define the starts; the rules are 12-14.
    else if (row.kind === 'state' && row.rule !== 'start') push(stateSlots, `${row.heaterId}'s ${STATE_RULES[row.rule]}`, row.slot);
  }
  if (!jobs.size) return null;
  for (const [heater, slots] of heaterSlots) rules.push(`${heater} runs one job at a time (${spans(problem, slots)})`);
  for (const [heater, slots] of stackingSlots) rules.push(`${heater}'s capacity for stacked jobs (${spans(problem, slots)})`);
  for (const [heater, slots] of changeoverSlots) rules.push(`${heater}'s changeovers (${spans(problem, slots)})`);
  for (const [rule, slots] of stateSlots) rules.push(`${rule} (${spans(problem, slots)})`);
  if (peakSlots.length) rules.push(`peakLimitKw ${problem.settings.peakLimitKw} kW (${spans(problem, peakSlots)})`);
  const names = [...jobs].sort((a, b) => a - b).map(id);
  return { jobs, text: `${names.join(', ')} cannot all run: ${rules.join('; ')}` };
}

const STATE_RULES = { off: 'min off time', run: 'min run time', standby: 'hot standby (only between runs, shorter than the off time)' };

/** The horizon's local dates; a day index of the model (`slotDays`) is a position in it. */
const localDates = (problem: PlanningProblem) => [...new Set(problem.slots.map((s) => s.localStart.slice(0, 10)))];

/** Slots as local time spans, e.g. "06:00-08:00, 10:00-10:30" (with the date when the horizon spans days). */
function spans(problem: PlanningProblem, slots: number[]): string {
  const sorted = [...new Set(slots)].sort((a, b) => a - b);
  const multiDay = localDates(problem).length > 1;
  const at = (t: number) =>
    DateTime.fromMillis(slotStartMs(problem.grid, t), { zone: problem.grid.timeZone }).toFormat(multiDay ? 'yyyy-MM-dd HH:mm' : 'HH:mm');
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(`${at(sorted[i])}-${at(sorted[j] + 1)}`);
    i = j + 1;
  }
  return parts.join(', ');
}
