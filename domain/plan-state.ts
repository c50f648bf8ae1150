import { hasHeaterState, onBlocks, startsPerDay, stateRules, stateViolation, type OnBlock, type StateRules } from './heater-state.ts';
import { isElectric } from './equipment.ts';
import { electricKwAt, type HeaterOption } from './heating.ts';
import { overLimitOnAverage } from './load.ts';
import { pointOf, precedenceEdges, slotDays, type PrecedenceEdge } from './placements.ts';
import type { PlanningProblem } from './problem.ts';

/** One job's run: `option` (job on heater) from slot `start`. */
export interface Run {
  jobIndex: number;
  option: HeaterOption;
  start: number;
}

export const runEnd = (run: Run) => run.start + run.option.durationSlots;

/** Per-problem facts every feasibility check needs, computed once. */
export interface PlanRules {
  edges: PrecedenceEdge[];
  /** Edges by the job at either end. */
  edgesByJob: PrecedenceEdge[][];
  slotDay: number[];
  families: string[];
  /**
   * Slots between two runs on a heater that never share an on-block: max(min off time, changeover),
   * by heater, from family, to family (the tabu search's sequences keep to it, a safe subset of the state rules).
   */
  gapSlots: (heaterId: string, fromFamily: string, toFamily: string) => number;
  /** Slots of changeover from one family to the next on a heater (0 when none). */
  changeoverSlots: (heaterId: string, fromFamily: string, toFamily: string) => number;
  offSlots: Map<string, number>;
  /** The on/off state rules of each heater that has a state (`hasHeaterState`), else null. */
  state: Map<string, StateRules | null>;
  /** Electric kW a heater draws in hot standby (0 for fuel heaters and without standby). */
  standbyElectricKw: Map<string, number>;
  stacking: Map<string, number | null>;
  maxStarts: Map<string, number | undefined>;
  limitKw: number;
}

export function planRules(problem: PlanningProblem): PlanRules {
  const { grid, settings, equipment } = problem;
  const jobs = problem.schedule.jobs;
  const edges = precedenceEdges(jobs, grid.slotMinutes);
  const edgesByJob: PrecedenceEdge[][] = jobs.map(() => []);
  for (const e of edges) {
    edgesByJob[e.from].push(e);
    edgesByJob[e.to].push(e);
  }
  const slots = (minutes: number) => Math.ceil(minutes / grid.slotMinutes - 1e-9);
  const offSlots = new Map(equipment.map((h) => [h.id, slots(h.minOffTimeMinutes)]));
  const changeover = new Map(
    equipment.flatMap((h) => h.changeovers.map((c) => [`${h.id}\u0000${c.fromFamily}\u0000${c.toFamily}`, slots(c.minutes)] as const)),
  );
  return {
    edges,
    edgesByJob,
    slotDay: slotDays(grid),
    families: jobs.map((j) => j.productFamily ?? j.product),
    gapSlots: (heaterId, from, to) => Math.max(offSlots.get(heaterId) ?? 0, changeover.get(`${heaterId}\u0000${from}\u0000${to}`) ?? 0),
    changeoverSlots: (heaterId, from, to) => changeover.get(`${heaterId}\u0000${from}\u0000${to}`) ?? 0,
    offSlots,
    state: new Map(equipment.map((h) => [h.id, hasHeaterState(h) ? stateRules(h, grid.slotMinutes) : null])),
    standbyElectricKw: new Map(equipment.map((h) => [h.id, isElectric(h) ? (h.standbyKw ?? 0) : 0])),
    stacking: new Map(equipment.map((h) => [h.id, h.allowStacking ? h.capacityKw : null])),
    maxStarts: new Map(equipment.map((h) => [h.id, h.maxStartsPerDay])),
    limitKw: settings.peakLimitKw ?? Infinity,
  };
}

const EPS = 1e-9;

/**
 * A partial plan and what it uses up: heater time (with off time and changeovers), stacked heat,
 * starts per day, site load, and the placed jobs' times for precedence. `fits` says whether one
 * more run keeps every rule; FIFO, the constructive heuristic and the neighbourhood search share it.
 */
export class PlanState {
  readonly load: Float64Array;
  readonly runs: (Run | undefined)[];
  private readonly byHeater = new Map<string, Run[]>();
  private readonly stackedKw = new Map<string, Float64Array>();
  private readonly startsUsed = new Map<string, Map<number, number>>();
  readonly skipped = new Set<number>();

  constructor(
    readonly problem: PlanningProblem,
    readonly rules: PlanRules = planRules(problem),
  ) {
    this.load = new Float64Array(problem.grid.slotCount).fill(problem.settings.baseLoadKw);
    this.runs = new Array(problem.schedule.jobs.length);
  }

  fits(run: Run): boolean {
    return this.conflict(run) === null;
  }

  /**
   * Why the run cannot join the plan (the first rule it breaks), or null when it can. `pairwise`
   * checks only what the run and each other run decide between them (overlap, off time, changeover,
   * precedence, load), not the heater's min run time or starts per day, which later runs may still
   * change (runs back to back share one start): what a model of several free jobs filters with.
   */
  conflict(run: Run, { pairwise = false }: { pairwise?: boolean } = {}): string | null {
    const { option, start } = run;
    const end = runEnd(run);
    const rules = this.rules;
    // The contractual limit holds on the demand intervals' average load, like the demand charges.
    if (option.electricKw > 0 && rules.limitKw < Infinity) {
      if (overLimitOnAverage(this.problem.demand, this.load, start, end, (t) => electricKwAt(option, t), rules.limitKw))
        return 'the peak limit';
    }
    const heater = option.equipmentId;
    const capacity = rules.stacking.get(heater);
    if (capacity != null) {
      const stacked = this.stackedKw.get(heater);
      if (stacked)
        for (let t = start; t < end; t++) if (stacked[t] + option.thermalKw > capacity + EPS) return `${heater}'s capacity (stacked jobs)`;
      const max = rules.maxStarts.get(heater);
      if (!pairwise && max !== undefined && this.startsOn(heater, rules.slotDay[start]) >= max) return `${heater}'s ${max} starts per day`;
    } else {
      for (const other of this.byHeater.get(heater) ?? []) {
        if (this.clearOf(run, other)) continue;
        const overlaps = start < runEnd(other) && other.start < end;
        return overlaps ? `${heater} busy` : `${heater}'s off time or changeover`;
      }
      const state = rules.state.get(heater);
      // Pairwise checks already keep the off time; only min run time and a start cap need the whole heater.
      if (state && !pairwise && (state.minUpSlots > 1 || state.maxStartsPerDay !== undefined)) {
        const why = stateViolation(heater, this.blocksOn(heater, run), state, rules.slotDay);
        if (why) return why;
      }
    }
    return this.precedenceConflict(run);
  }

  /** Whether two runs on one heater keep its changeover and off time (back to back, a gap held hot, or off long enough). */
  private clearOf(run: Run, other: Run): boolean {
    const [first, second] = run.start < other.start ? [run, other] : [other, run];
    return runEnd(first) <= second.start && this.gapFits(first, second);
  }

  /** Whether the gap from `first` to `second` (not overlapping) is allowed on their heater. */
  private gapFits(first: Run, second: Run): boolean {
    const heater = first.option.equipmentId;
    const gap = second.start - runEnd(first);
    const families = this.rules.families;
    if (gap < this.rules.changeoverSlots(heater, families[first.jobIndex], families[second.jobIndex])) return false;
    const state = this.rules.state.get(heater);
    return !state || state.standby || gap === 0 || gap >= state.offSlots;
  }

  /** The next start after `first` worth trying for `run`: back to back when that may fit, else past the changeover and the off time. */
  private nextStartAfter(first: Run, run: Run): number {
    const heater = first.option.equipmentId;
    const families = this.rules.families;
    const changeover = this.rules.changeoverSlots(heater, families[first.jobIndex], families[run.jobIndex]);
    const state = this.rules.state.get(heater);
    const end = runEnd(first);
    if (changeover === 0 && run.start < end) return end;
    return end + (!state || state.standby ? changeover : Math.max(changeover, state.offSlots));
  }

  private precedenceConflict(run: Run): string | null {
    for (const e of this.rules.edgesByJob[run.jobIndex]) {
      const otherJob = e.from === run.jobIndex ? e.to : e.from;
      if (e.to === run.jobIndex && this.skipped.has(e.from)) return `predecessor ${this.problem.schedule.jobs[e.from].id} is unscheduled`;
      const other = this.runs[otherJob];
      if (!other) continue;
      const [from, to] = e.from === run.jobIndex ? [run, other] : [other, run];
      if (
        pointOf(e.toPoint, to.start, to.option.durationSlots) <
        pointOf(e.fromPoint, from.start, from.option.durationSlots) + e.lagSlots
      ) {
        return `precedence with ${this.problem.schedule.jobs[otherJob].id}`;
      }
    }
    return null;
  }

  /** The heater's on-blocks with the placed runs (and `extra`, if given). */
  blocksOn(heater: string, extra?: Run): OnBlock[] {
    const runs = extra ? [...this.placedOn(heater), extra] : this.placedOn(heater);
    return onBlocks(
      runs.map((r) => [r.start, runEnd(r)] as const),
      this.rules.state.get(heater) ?? { offSlots: 0 },
    );
  }

  /**
   * For a run that does not fit: the earliest start worth trying next for the same job on the same
   * heater (past the runs that block the heater); null when the run fits.
   */
  nextStartToTry(run: Run): number | null {
    const why = this.conflict(run);
    if (why === null) return null;
    const heater = run.option.equipmentId;
    if (this.rules.stacking.get(heater) != null) return run.start + 1;
    let next = run.start + 1;
    for (const other of this.byHeater.get(heater) ?? []) {
      if (!this.clearOf(run, other)) next = Math.max(next, this.nextStartAfter(other, run));
    }
    return next;
  }

  /** The first of `starts` (ascending) from which the job's run fits, or undefined. */
  firstFit(jobIndex: number, option: HeaterOption, starts: readonly number[]): number | undefined {
    let i = 0;
    while (i < starts.length) {
      const next = this.nextStartToTry({ jobIndex, option, start: starts[i] });
      if (next === null) return starts[i];
      i = firstNotBefore(i + 1, starts.length, (k) => starts[k] < next);
    }
    return undefined;
  }

  /** Records that a job stays out of the plan (its successors must then stay out too). */
  skip(jobIndex: number): void {
    this.skipped.add(jobIndex);
  }

  place(run: Run): void {
    const { option, start } = run;
    const end = runEnd(run);
    this.runs[run.jobIndex] = run;
    for (let t = start; t < end; t++) this.load[t] += electricKwAt(option, t);
    const heater = option.equipmentId;
    if (this.rules.stacking.get(heater) != null) {
      let stacked = this.stackedKw.get(heater);
      if (!stacked) this.stackedKw.set(heater, (stacked = new Float64Array(this.problem.grid.slotCount)));
      for (let t = start; t < end; t++) stacked[t] += option.thermalKw;
    }
    const list = this.byHeater.get(heater) ?? [];
    list.push(run);
    this.byHeater.set(heater, list);
    const day = this.rules.slotDay[start];
    const used = this.startsUsed.get(heater) ?? new Map<number, number>();
    used.set(day, (used.get(day) ?? 0) + 1);
    this.startsUsed.set(heater, used);
  }

  /** Takes a placed run out again (the exact inverse of `place`). */
  remove(run: Run): void {
    const { option, start } = run;
    const end = runEnd(run);
    this.runs[run.jobIndex] = undefined;
    for (let t = start; t < end; t++) this.load[t] -= electricKwAt(option, t);
    const heater = option.equipmentId;
    const stacked = this.stackedKw.get(heater);
    if (stacked) for (let t = start; t < end; t++) stacked[t] -= option.thermalKw;
    const list = this.byHeater.get(heater)!;
    list.splice(list.indexOf(run), 1);
    const used = this.startsUsed.get(heater)!;
    const day = this.rules.slotDay[start];
    used.set(day, used.get(day)! - 1);
  }

  /** Starts already used on the heater in the local day: cold starts of its on-blocks, or one per run (stacking heaters). */
  startsOn(heater: string, day: number): number {
    if (this.rules.state.get(heater)) return startsPerDay(this.blocksOn(heater), this.rules.slotDay).get(day) ?? 0;
    return this.startsUsed.get(heater)?.get(day) ?? 0;
  }

  /** The first on/off state rule (min run time, starts per day, off time) a heater's placed runs break, or null. */
  stateViolation(): string | null {
    for (const [heater, rules] of this.rules.state) {
      const why = rules && stateViolation(heater, this.blocksOn(heater), rules, this.rules.slotDay);
      if (why) return why;
    }
    return null;
  }

  /** The site load with the hot standby of every heater (`load` has the runs only: standby depends on the runs around a gap). */
  siteLoad(): Float64Array {
    const standby = this.standbyLoad();
    return this.load.map((kw, t) => kw + standby[t]);
  }

  /** The electric kW of hot standby per slot. */
  standbyLoad(): Float64Array {
    const load = new Float64Array(this.load.length);
    for (const [heater, kw] of this.rules.standbyElectricKw) {
      if (kw <= 0) continue;
      for (const b of this.blocksOn(heater)) for (const [from, to] of b.standby) for (let t = from; t < to; t++) load[t] += kw;
    }
    return load;
  }

  /** Thermal kW stacked on a heater in slot t (stacking heaters only). */
  stackedOn(heater: string, t: number): number {
    return this.stackedKw.get(heater)?.[t] ?? 0;
  }

  placedOn(heater: string): readonly Run[] {
    return this.byHeater.get(heater) ?? [];
  }
}

/**
 * Binary search: the first index in `[from, to)` where `before(index)` is false (`before` must be
 * true up to some index and false from there on), or `to`.
 */
export function firstNotBefore(from: number, to: number, before: (index: number) => boolean): number {
  let [lo, hi] = [from, to];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Why none of a job's runs can join the plan: the rules that block them, most frequent first. */
export function blockedReason(state: PlanState, runs: Run[]): string {
  const blocks = new Map<string, number>();
  for (const run of runs) {
    const why = state.conflict(run) ?? 'the rest of the plan';
    blocks.set(why, (blocks.get(why) ?? 0) + 1);
  }
  const ranked = [...blocks]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([why, n]) => `${why} (${n} of ${runs.length} runs)`);
  return `every run in its window is blocked by the planned jobs: ${ranked.join(', ')}`;
}
