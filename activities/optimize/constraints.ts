import type { Equipment } from '../../domain/equipment.ts';
import { electricKwAt, type StatePrices } from '../../domain/heating.ts';
import { intervalAverages } from '../../domain/demand.ts';
import { slotIntervals } from '../../domain/load.ts';
import { pointOf } from '../../domain/placements.ts';
import { runEnd, type PlanRules, type PlanState, type Run } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { SparseModelBuilder } from './sparse-model.ts';

// The constraints of MODEL.md, one function each, numbered like it. Run `i` of the scope is column `i`.

/** The rule a row of the model stands for (slots and days are the grid's; jobs are problem indices). */
export type RowLabel =
  | { kind: 'job'; job: number }
  | { kind: 'heater'; heaterId: string; slot: number }
  | { kind: 'stacking'; heaterId: string; slot: number }
  | { kind: 'starts'; heaterId: string; day: number }
  | { kind: 'changeover'; heaterId: string; slot: number }
  | { kind: 'precedence'; from: number; to: number }
  | { kind: 'peak'; slot: number }
  | { kind: 'state'; heaterId: string; slot: number; rule: 'start' | 'off' | 'run' | 'standby' }
  | { kind: 'objective' };

export type ModelBuilder = SparseModelBuilder<RowLabel>;

/** What the constraints read: the problem, the model's runs and jobs, and the plan held in place around them. */
export interface ModelScope {
  problem: PlanningProblem;
  rules: PlanRules;
  runs: Run[];
  jobs: number[];
  /** Runs already placed (held in place around a neighbourhood; nothing for the whole problem). */
  fixed: PlanState;
  slotCount: number;
  columnsOnHeater: Map<string, number[]>;
  columnsOfJob: Map<number, number[]>;
}

export function modelScope(problem: PlanningProblem, rules: PlanRules, runs: Run[], jobs: number[], fixed: PlanState): ModelScope {
  const columnsOnHeater = new Map(problem.equipment.map((h) => [h.id, [] as number[]]));
  const columnsOfJob = new Map(jobs.map((j) => [j, [] as number[]]));
  runs.forEach((r, col) => {
    columnsOnHeater.get(r.option.equipmentId)!.push(col);
    columnsOfJob.get(r.jobIndex)!.push(col);
  });
  return { problem, rules, runs, jobs, fixed, slotCount: problem.grid.slotCount, columnsOnHeater, columnsOfJob };
}

const EPS = 1e-9;

/** Slots `[from, to)` of a column's run that a rule counts. */
type Span = (col: number) => [number, number];

/** How many of the columns' spans cover each slot. */
function coverCount(slotCount: number, cols: number[], span: Span): Int32Array {
  const cover = new Int32Array(slotCount);
  for (const col of cols) {
    const [from, to] = span(col);
    for (let t = from; t < to; t++) cover[t]++;
  }
  return cover;
}

/** Per slot, the row `addRowAt(t)` adds (-1 where it adds none), in slot order. */
function rowPerSlot(slotCount: number, addRowAt: (t: number) => number | null): Int32Array {
  const rows = new Int32Array(slotCount).fill(-1);
  for (let t = 0; t < slotCount; t++) rows[t] = addRowAt(t) ?? -1;
  return rows;
}

/** Puts `value(col, t)` for each column in the row of every slot of its span that has one. */
function fillSlotRows(m: ModelBuilder, rows: Int32Array, cols: Iterable<number>, span: Span, value: (col: number, t: number) => number) {
  for (const col of cols) {
    const [from, to] = span(col);
    for (let t = from; t < to; t++) if (rows[t] >= 0) m.add(col, rows[t], value(col, t));
  }
}

const runSpan =
  (s: ModelScope): Span =>
  (col) => [s.runs[col].start, runEnd(s.runs[col])];

/** 1. Each job once, or left out: `Σ_{h,s} x[j,h,s] (+ u[j], see `leftOutColumns`) = 1`. Returns each job's row. */
export function eachJobOnce(m: ModelBuilder, s: ModelScope): Map<number, number> {
  const rowOf = new Map(s.jobs.map((job) => [job, m.addRow(1, 1, { kind: 'job', job })]));
  s.runs.forEach((r, col) => m.add(col, rowOf.get(r.jobIndex)!, 1));
  return rowOf;
}

/**
 * 2. One job at a time per heater: `Σ x (+ idle[t]) ≤ 1` in every slot that two or more runs, or a
 * run and hot standby, could take. The min off time is a rule of the heater's state (12).
 */
export function oneJobAtATime(m: ModelBuilder, s: ModelScope, heaterId: string, state?: StateColumns): void {
  const cols = s.columnsOnHeater.get(heaterId)!;
  const span = runSpan(s);
  const cover = coverCount(s.slotCount, cols, span);
  const idle = state?.idle;
  const rows = rowPerSlot(s.slotCount, (t) =>
    cover[t] + (idle && idle[t] >= 0 ? 1 : 0) > 1 ? m.addRow(-Infinity, 1, { kind: 'heater', heaterId, slot: t }) : null,
  );
  fillSlotRows(m, rows, cols, span, () => 1);
  if (idle) idle.forEach((col, t) => col >= 0 && rows[t] >= 0 && m.add(col, rows[t], 1));
}

/** 3. Stacking heaters: `Σ q · x ≤ capacityKw` (less the heat held in place) in every slot the runs could overfill. */
export function stackingCapacity(m: ModelBuilder, s: ModelScope, heaterId: string, capacityKw: number): void {
  const cols = s.columnsOnHeater.get(heaterId)!;
  const span = runSpan(s);
  const heat = new Float64Array(s.slotCount);
  for (const col of cols) for (let t = s.runs[col].start; t < runEnd(s.runs[col]); t++) heat[t] += s.runs[col].option.thermalKw;
  const rows = rowPerSlot(s.slotCount, (t) => {
    const held = s.fixed.stackedOn(heaterId, t);
    return heat[t] + held > capacityKw + EPS ? m.addRow(-Infinity, capacityKw - held, { kind: 'stacking', heaterId, slot: t }) : null;
  });
  fillSlotRows(m, rows, cols, span, (col) => s.runs[col].option.thermalKw);
}

/**
 * 4. Changeovers (family A → B takes `g` slots): in every slot t that a B run
 * covers and an A run's tail `[end, end + g)` covers, `Σ A tails + M · Σ B runs ≤ M`, with `M` the
 * most A tails that can cover one slot.
 */
export function changeovers(m: ModelBuilder, s: ModelScope, heater: Equipment): void {
  const cols = s.columnsOnHeater.get(heater.id)!;
  for (const c of heater.changeovers) {
    const gap = s.rules.changeoverSlots(heater.id, c.fromFamily, c.toFamily);
    if (gap === 0) continue;
    const from = cols.filter((col) => s.rules.families[s.runs[col].jobIndex] === c.fromFamily);
    const to = cols.filter((col) => s.rules.families[s.runs[col].jobIndex] === c.toFamily);
    if (!from.length || !to.length) continue;
    const tail: Span = (col) => [runEnd(s.runs[col]), Math.min(s.slotCount, runEnd(s.runs[col]) + gap)];
    const tails = coverCount(s.slotCount, from, tail);
    const occupied = coverCount(s.slotCount, to, runSpan(s));
    const shortest = from.reduce((min, col) => Math.min(min, s.runs[col].option.durationSlots), Infinity);
    const M = Math.max(1, Math.ceil(gap / shortest));
    const label = (t: number): RowLabel => ({ kind: 'changeover', heaterId: heater.id, slot: t });
    const rows = rowPerSlot(s.slotCount, (t) => (tails[t] && occupied[t] ? m.addRow(-Infinity, M, label(t)) : null));
    fillSlotRows(m, rows, from, tail, () => 1);
    fillSlotRows(m, rows, to, runSpan(s), () => M);
  }
}

/**
 * 5. Starts per day: per local day, `Σ v[t] ≤ maxStartsPerDay` over the heater's cold starts (11) when
 * it has a state; else (stacking heaters) `Σ x over runs starting that day` (less the starts held in place), where more could start.
 */
export function startsPerDay(m: ModelBuilder, s: ModelScope, heaterId: string, max: number, state?: StateColumns): void {
  if (state) {
    const byDay = new Map<number, number[]>();
    state.start.forEach((col, t) => col >= 0 && byDay.set(s.rules.slotDay[t], [...(byDay.get(s.rules.slotDay[t]) ?? []), col]));
    for (const [day, cols] of byDay) {
      if (cols.length <= max) continue;
      const row = m.addRow(-Infinity, max, { kind: 'starts', heaterId, day });
      for (const col of cols) m.add(col, row, 1);
    }
    return;
  }
  const byDay = new Map<number, number[]>();
  for (const col of s.columnsOnHeater.get(heaterId)!) {
    const day = s.rules.slotDay[s.runs[col].start];
    byDay.set(day, [...(byDay.get(day) ?? []), col]);
  }
  for (const [day, cols] of byDay) {
    const left = max - s.fixed.startsOn(heaterId, day);
    if (cols.length <= left) continue;
    const row = m.addRow(-Infinity, left, { kind: 'starts', heaterId, day });
    for (const col of cols) m.add(col, row, 1);
  }
}

/** A precedence row of constraint 6, for the left-out columns that relax it. */
interface PrecedenceRow {
  row: number;
  from: number;
  to: number;
  /** Enough to relax the row when the successor is left out. */
  bigM: number;
}

/**
 * 6. Precedence `j → k` between two jobs of the model, with lag `L`:
 * `Σ point_k(x) · x − Σ point_j(x) · x (+ M · u[k], see `leftOutColumns`) ≥ L`.
 */
export function precedence(m: ModelBuilder, s: ModelScope): PrecedenceRow[] {
  const rows: PrecedenceRow[] = [];
  const point = (which: 'start' | 'end', col: number) => pointOf(which, s.runs[col].start, s.runs[col].option.durationSlots);
  for (const e of s.rules.edges) {
    if (!s.columnsOfJob.has(e.from) || !s.columnsOfJob.has(e.to)) continue;
    const row = m.addRow(e.lagSlots, Infinity, { kind: 'precedence', from: e.from, to: e.to });
    for (const col of s.columnsOfJob.get(e.to)!) m.add(col, row, point(e.toPoint, col));
    for (const col of s.columnsOfJob.get(e.from)!) m.add(col, row, -point(e.fromPoint, col));
    rows.push({ row, to: e.to, from: e.from, bigM: 2 * s.slotCount + Math.abs(e.lagSlots) });
  }
  return rows;
}

/** R[d] of a demand determinant (a charge in one billing period): the kW the plan raises its billed demand by. */
export interface DemandColumn {
  col: number;
  lower: number;
  upper: number;
  /** The index of the determinant in the problem's demand model. */
  determinant: number;
}

/**
 * R[d] per demand determinant with a rate (cost objectives), priced at the rate: the billed demand
 * is floor + R[d], the floor being the billing period's peak so far and the ratchet (a day's plan
 * pays only for raising it). At least what the load held in place already raises, at most
 * peakLimitKw − floor; a floor at or above the limit leaves nothing to raise (R[d] = 0, and the
 * limit holds through its own rows, 8).
 */
export function demandColumns(m: ModelBuilder, s: ModelScope, costObjective: boolean): Map<string, DemandColumn> {
  const { settings, demand } = s.problem;
  const limit = settings.peakLimitKw;
  const columns = new Map<string, DemandColumn>();
  if (!costObjective) return columns;
  const heldAverage = intervalAverages(demand.intervals, s.fixed.load);
  demand.determinants.forEach((d, determinant) => {
    if (d.rate <= 0) return;
    const floor = d.floor.floorKw;
    const held = Math.max(0, ...d.intervals.map((k) => heldAverage[k] - floor));
    const upper = limit === undefined ? Infinity : Math.max(0, limit - floor);
    const lower = Math.min(held, upper);
    columns.set(d.key, { col: m.addColumn(d.rate, lower, upper), lower, upper, determinant });
  });
  return columns;
}

/**
 * The site's load on every demand interval where an electric run may run, as interval averages
 * (Σ over the interval's slots of weight × draw):
 * 7. demand peak, for each determinant d whose R[d] can move: `Σ ē · x − R[d] ≤ floor[d] − held average`;
 * 8. the contractual limit, where no such row of a determinant bounded by it already holds it:
 *    `Σ ē · x ≤ peakLimitKw − held average`.
 * Electric hot standby (`standby`) adds its draw like a run's.
 */
export function siteLoad(m: ModelBuilder, s: ModelScope, demand: Map<string, DemandColumn>, standby: StandbyLoad[] = []): void {
  const { problem } = s;
  const model = problem.demand;
  const limit = problem.settings.peakLimitKw;
  const heldAverage = intervalAverages(model.intervals, s.fixed.load);
  const rowsOf: number[][] = model.intervals.map(() => []);
  const limited = new Uint8Array(model.intervals.length);
  const electric = s.runs.flatMap((r, col) => (r.option.electricKw > 0 ? [col] : []));
  const running = coverCount(s.slotCount, electric, runSpan(s));
  for (const { t } of standby) running[t]++;
  const live = model.intervals.map((interval) => interval.slots.some(([slot]) => running[slot] > 0));
  const label = (k: number): RowLabel => ({ kind: 'peak', slot: model.intervals[k].slots[0][0] });
  for (const column of demand.values()) {
    if (column.upper <= column.lower) continue;
    const d = model.determinants[column.determinant];
    for (const k of d.intervals) {
      if (!live[k]) continue;
      const row = m.addRow(-Infinity, d.floor.floorKw - heldAverage[k], label(k));
      m.add(column.col, row, -1);
      rowsOf[k].push(row);
      if (column.upper < Infinity) limited[k] = 1;
    }
  }
  if (limit !== undefined) {
    model.intervals.forEach((_, k) => {
      if (live[k] && !limited[k]) rowsOf[k].push(m.addRow(-Infinity, limit - heldAverage[k], label(k)));
    });
  }
  const bySlot = slotIntervals(model, s.slotCount);
  for (const col of electric) {
    // One entry per row: a run's slots in one interval add up to one coefficient.
    const coefficient = new Map<number, number>();
    const run = s.runs[col];
    for (let t = run.start; t < runEnd(run); t++)
      for (const [k, w] of bySlot[t]) if (rowsOf[k].length) coefficient.set(k, (coefficient.get(k) ?? 0) + w * electricKwAt(run.option, t));
    for (const [k, value] of coefficient) for (const row of rowsOf[k]) m.add(col, row, value);
  }
  for (const { col, t, kw } of standby) for (const [k, w] of bySlot[t]) for (const row of rowsOf[k]) m.add(col, row, w * kw);
}

/** Hot standby's electric draw: column idle[t] of a heater draws `kw` in slot t. */
export interface StandbyLoad {
  col: number;
  t: number;
  kw: number;
}

/**
 * 9. Makespan: `Σ end(x) · x ≤ C` per job, and per heater `first start + Σ d · x ≤ C` (a valid cut
 * that gives the LP the machine-load bound), counting the runs held in place. Returns C's column.
 */
export function makespan(m: ModelBuilder, s: ModelScope, slotHours: number): number {
  const fixedEnd = s.fixed.runs.reduce((max, r) => (r ? Math.max(max, runEnd(r)) : max), 0);
  const C = m.addColumn(slotHours, fixedEnd, s.slotCount);
  for (const j of s.jobs) {
    const row = m.addRow(-Infinity, 0, { kind: 'objective' });
    for (const col of s.columnsOfJob.get(j)!) m.add(col, row, runEnd(s.runs[col]));
    m.add(C, row, -1);
  }
  for (const heater of s.problem.equipment) {
    const cols = s.columnsOnHeater.get(heater.id)!;
    if (!cols.length || s.rules.stacking.get(heater.id) != null) continue;
    const held = s.fixed.placedOn(heater.id);
    const first = Math.min(
      cols.reduce((min, col) => Math.min(min, s.runs[col].start), Infinity),
      held.reduce((min, r) => Math.min(min, r.start), Infinity),
    );
    const heldSlots = held.reduce((sum, r) => sum + r.option.durationSlots, 0);
    const row = m.addRow(-Infinity, -(first + heldSlots), { kind: 'objective' });
    for (const col of cols) m.add(col, row, s.runs[col].option.durationSlots);
    m.add(C, row, -1);
  }
  return C;
}

/** 10. Balance: per heater `Σ d · x ≤ B`, counting the runs held in place. Returns B's column. */
export function balance(m: ModelBuilder, s: ModelScope, slotHours: number): number {
  const heldSlots = (heaterId: string) => s.fixed.placedOn(heaterId).reduce((sum, r) => sum + r.option.durationSlots, 0);
  const B = m.addColumn(slotHours, Math.max(0, ...s.problem.equipment.map((h) => heldSlots(h.id))), Infinity);
  for (const heater of s.problem.equipment) {
    const cols = s.columnsOnHeater.get(heater.id)!;
    if (!cols.length) continue;
    const row = m.addRow(-Infinity, -heldSlots(heater.id), { kind: 'objective' });
    for (const col of cols) m.add(col, row, s.runs[col].option.durationSlots);
    m.add(B, row, -1);
  }
  return B;
}

/**
 * The left-out columns u[j] (at most 0 when every job must be placed): 1 in the job's row (1), M in
 * the rows of its predecessors (6), and the rows `u[k] ≥ u[j]` that leave a successor out with its
 * predecessor. Returns each job's column.
 */
export function leftOutColumns(
  m: ModelBuilder,
  s: ModelScope,
  {
    jobRows,
    precedenceRows,
    penalty,
    allowed,
  }: { jobRows: Map<number, number>; precedenceRows: PrecedenceRow[]; penalty: Float64Array; allowed: boolean },
): Map<number, number> {
  // Columns fixed at zero would only carry their huge penalties into the model (bad scaling).
  if (!allowed) return new Map();
  const links = precedenceRows.map((p) => ({ ...p, link: m.addRow(0, Infinity, { kind: 'precedence', from: p.from, to: p.to }) }));
  const columns = new Map<number, number>();
  for (const j of s.jobs) {
    const col = m.addColumn(penalty[j], 0, 1);
    m.add(col, jobRows.get(j)!, 1);
    for (const p of links) {
      if (p.to === j) {
        m.add(col, p.row, p.bigM);
        m.add(col, p.link, 1);
      }
      if (p.from === j) m.add(col, p.link, -1);
    }
    columns.set(j, col);
  }
  return columns;
}

/** A heater's state columns by slot (-1 where none): v[t] a cold start in slot t (11), idle[t] hot standby through slot t (14). */
export interface StateColumns {
  heaterId: string;
  start: Int32Array;
  idle: Int32Array;
}

/** Where a heater's runs start, end and run: the model's columns by slot, and the counts of the runs held in place. */
interface StateLayout {
  starting: number[][];
  ending: number[][];
  fixedStarts: Int32Array;
  fixedEnds: Int32Array;
  fixedCover: Int32Array;
  /** Earliest end and latest start of any run on the heater: where a gap (and hot standby) can be. */
  firstEnd: number;
  lastStart: number;
}

function stateLayout(s: ModelScope, heaterId: string): StateLayout {
  const T = s.slotCount;
  const layout: StateLayout = {
    starting: Array.from({ length: T + 1 }, () => []),
    ending: Array.from({ length: T + 1 }, () => []),
    fixedStarts: new Int32Array(T + 1),
    fixedEnds: new Int32Array(T + 1),
    fixedCover: new Int32Array(T + 1),
    firstEnd: Infinity,
    lastStart: -Infinity,
  };
  const note = (start: number, end: number) => {
    layout.firstEnd = Math.min(layout.firstEnd, end);
    layout.lastStart = Math.max(layout.lastStart, start);
  };
  for (const col of s.columnsOnHeater.get(heaterId)!) {
    const r = s.runs[col];
    layout.starting[r.start].push(col);
    layout.ending[runEnd(r)].push(col);
    note(r.start, runEnd(r));
  }
  for (const r of s.fixed.placedOn(heaterId)) {
    layout.fixedStarts[r.start]++;
    layout.fixedEnds[runEnd(r)]++;
    for (let t = r.start; t < runEnd(r); t++) layout.fixedCover[t]++;
    note(r.start, runEnd(r));
  }
  return layout;
}

/**
 * The state columns of a heater that has one: v[t] ∈ [0, 1] priced at a cold start in slot t, where
 * some run can start; with hot standby and an off time of 2 slots or more, idle[t] ∈ {0, 1} priced
 * at the standby power, in the slots between the first end and the last start no held run covers.
 */
export function stateColumns(m: ModelBuilder, s: ModelScope, heaterId: string, prices: StatePrices): StateColumns {
  const T = s.slotCount;
  const layout = stateLayout(s, heaterId);
  const rules = s.rules.state.get(heaterId)!;
  const start = new Int32Array(T).fill(-1);
  const idle = new Int32Array(T).fill(-1);
  for (let t = 0; t < T; t++) if (layout.starting[t].length || layout.fixedStarts[t]) start[t] = m.addColumn(prices.start(t), 0, 1);
  if (rules.standby && rules.offSlots >= 2)
    for (let t = Math.max(0, layout.firstEnd); t < Math.min(T, layout.lastStart); t++)
      if (!layout.fixedCover[t]) idle[t] = m.addColumn(prices.standby(t), 0, 1, true);
  return { heaterId, start, idle };
}

const stateLabel = (heaterId: string, slot: number, rule: 'start' | 'off' | 'run' | 'standby'): RowLabel => ({
  kind: 'state',
  heaterId,
  slot,
  rule,
});

/** Adds `coefficient` for each column of `cols` that exists (≥ 0) to the row. */
function addAll(m: ModelBuilder, row: number, cols: Iterable<number>, coefficient: number): void {
  for (const col of cols) if (col >= 0) m.add(col, row, coefficient);
}

/** Columns of the runs covering slot t (by slot, built once per heater). */
function coveringBySlot(s: ModelScope, heaterId: string): number[][] {
  const by: number[][] = Array.from({ length: s.slotCount }, () => []);
  for (const col of s.columnsOnHeater.get(heaterId)!) for (let t = s.runs[col].start; t < runEnd(s.runs[col]); t++) by[t].push(col);
  return by;
}

/**
 * 11. Cold starts: `on[t] = cover[t] + idle[t]` (cover: the runs on the heater in slot t), and
 * `v[t] ≥ on[t] − on[t−1]`, i.e. `v[t] − S[t] + E[t] − idle[t] + idle[t−1] ≥ 0` with S[t] the runs
 * starting and E[t] those ending at slot boundary t (held runs on the right-hand side). Where no run
 * can start (no v[t]) the row says that standby only continues a run or standby: `idle[t] ≤ E[t] + idle[t−1]`.
 */
export function coldStarts(m: ModelBuilder, s: ModelScope, state: StateColumns): void {
  const { heaterId, start, idle } = state;
  const layout = stateLayout(s, heaterId);
  for (let t = 0; t < s.slotCount; t++) {
    const cols = [start[t], idle[t], ...layout.starting[t], ...layout.ending[t], t > 0 ? idle[t - 1] : -1];
    if (!cols.some((c) => c >= 0) || (start[t] < 0 && idle[t] < 0)) continue;
    const row = m.addRow(layout.fixedStarts[t] - layout.fixedEnds[t], Infinity, stateLabel(heaterId, t, 'start'));
    addAll(m, row, [start[t]], 1);
    addAll(m, row, layout.starting[t], -1);
    addAll(m, row, layout.ending[t], 1);
    addAll(m, row, [idle[t]], -1);
    if (t > 0) addAll(m, row, [idle[t - 1]], 1);
  }
}

/** 12. Min off time (D slots): once off, off for D slots: `Σ_{τ=t−D+1..t} v[τ] + on[t−D] ≤ 1`. */
export function minOffTime(m: ModelBuilder, s: ModelScope, state: StateColumns): void {
  const { heaterId, start, idle } = state;
  const D = s.rules.state.get(heaterId)!.offSlots;
  if (D < 2) return; // a gap of one slot or more already is the off time
  const layout = stateLayout(s, heaterId);
  const covering = coveringBySlot(s, heaterId);
  for (let t = D; t < s.slotCount; t++) {
    const starts = Array.from(start.subarray(t - D + 1, t + 1)).filter((c) => c >= 0);
    const on = [...covering[t - D], idle[t - D]].filter((c) => c >= 0);
    if (!starts.length || (!on.length && !layout.fixedCover[t - D])) continue;
    const row = m.addRow(-Infinity, 1 - layout.fixedCover[t - D], stateLabel(heaterId, t, 'off'));
    addAll(m, row, starts, 1);
    addAll(m, row, on, 1);
  }
}

/** 13. Min run time (U slots) over the state: once on, on for U slots: `Σ_{τ=t−U+1..t} v[τ] − on[t] ≤ 0`; a block that reaches the horizon's end may be shorter. */
export function minRunTime(m: ModelBuilder, s: ModelScope, state: StateColumns): void {
  const { heaterId, start, idle } = state;
  const U = s.rules.state.get(heaterId)!.minUpSlots;
  const cols = s.columnsOnHeater.get(heaterId)!;
  const held = s.fixed.placedOn(heaterId);
  // Rows only matter when some run is shorter than U.
  if (![...cols.map((c) => s.runs[c]), ...held].some((r) => r.option.durationSlots < U)) return;
  const layout = stateLayout(s, heaterId);
  const covering = coveringBySlot(s, heaterId);
  for (let t = 0; t < s.slotCount; t++) {
    const starts = Array.from(start.subarray(Math.max(0, t - U + 1), t + 1)).filter((c) => c >= 0);
    if (!starts.length) continue;
    const row = m.addRow(-Infinity, layout.fixedCover[t], stateLabel(heaterId, t, 'run'));
    addAll(m, row, starts, 1);
    addAll(m, row, covering[t], -1);
    addAll(m, row, [idle[t]], -1);
  }
}

/**
 * 14. Hot standby only bridges a gap shorter than the off time: it follows a run or standby,
 * `idle[t] ≤ E[t] + idle[t−1]` (where a run may start; elsewhere 11 says it), leads to a run or
 * standby, `idle[t] ≤ S[t+1] + idle[t+1]`, and never lasts D slots,
 * `Σ_{τ=t..t+D−1} idle[τ] ≤ D − 1`.
 */
export function standbyGaps(m: ModelBuilder, s: ModelScope, state: StateColumns): void {
  const { heaterId, idle } = state;
  if (!idle.some((c) => c >= 0)) return;
  const D = s.rules.state.get(heaterId)!.offSlots;
  const layout = stateLayout(s, heaterId);
  const T = s.slotCount;
  for (let t = 0; t < T; t++) {
    if (idle[t] < 0) continue;
    if (state.start[t] >= 0) {
      // Where a run may start, 11 alone would let standby follow a cold start.
      const after = m.addRow(-Infinity, layout.fixedEnds[t], stateLabel(heaterId, t, 'standby'));
      m.add(idle[t], after, 1);
      addAll(m, after, layout.ending[t], -1);
      if (t > 0) addAll(m, after, [idle[t - 1]], -1);
    }
    const row = m.addRow(-Infinity, layout.fixedStarts[t + 1], stateLabel(heaterId, t, 'standby'));
    m.add(idle[t], row, 1);
    addAll(m, row, layout.starting[t + 1], -1);
    if (t + 1 < T) addAll(m, row, [idle[t + 1]], -1);
  }
  for (let t = 0; t + D <= T; t++) {
    const window = Array.from(idle.subarray(t, t + D));
    if (window.some((c) => c < 0)) continue;
    const row = m.addRow(-Infinity, D - 1, stateLabel(heaterId, t, 'standby'));
    addAll(m, row, window, 1);
  }
}
