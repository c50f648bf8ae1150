import { intervalAverages, intervalWeights } from './demand.ts';
import type { DemandModel } from './demand-model.ts';
import type { Assignment } from './plan.ts';
import type { PlanningProblem } from './problem.ts';
import type { PeriodCategory } from './tariff.ts';

/** Site electric load per slot: base load plus the electric heaters and heat pumps running. */
export function loadProfile(
  problem: PlanningProblem,
  assignments: Pick<Assignment, 'startSlot' | 'endSlot' | 'electricKw' | 'electricKwBySlot'>[],
): number[] {
  const load = new Array<number>(problem.grid.slotCount).fill(problem.settings.baseLoadKw);
  for (const a of assignments)
    for (let t = a.startSlot; t < a.endSlot; t++) load[t] += a.electricKwBySlot?.[t - a.startSlot] ?? a.electricKw;
  return load;
}

/** Highest load within each tariff category present in the grid: what demand charges bill. */
export function peakByCategory(problem: PlanningProblem, load: number[]): Map<PeriodCategory, number> {
  const peaks = new Map<PeriodCategory, number>();
  load.forEach((kw, t) => {
    const category = problem.slots[t].category;
    peaks.set(category, Math.max(peaks.get(category) ?? 0, kw));
  });
  return peaks;
}

/** The demand rate of each category present in the grid (the highest, should slots disagree). */
export function demandRates(problem: PlanningProblem): Map<PeriodCategory, number> {
  const rates = new Map<PeriodCategory, number>();
  for (const s of problem.slots) rates.set(s.category, Math.max(rates.get(s.category) ?? 0, s.demandRate));
  return rates;
}

/**
 * The interval averages of a site load that runs are added to, and each demand charge's billed
 * peak (at least its floor): what placing a run would raise the bill by, without re-averaging
 * the whole day (the heuristics place thousands of runs).
 */
export class DemandTracker {
  /** Average load of each demand interval. */
  readonly averages: Float64Array;
  /** Billed kW of each determinant: max(floor, highest average over its intervals). */
  readonly billed: Float64Array;
  private readonly bySlot: [number, number][][];
  private readonly byInterval: number[][];

  constructor(
    private readonly model: DemandModel,
    load: ArrayLike<number>,
  ) {
    this.bySlot = slotIntervals(model, load.length);
    this.byInterval = model.intervals.map(() => []);
    model.determinants.forEach((d, i) => d.intervals.forEach((k) => this.byInterval[k].push(i)));
    this.averages = Float64Array.from(intervalAverages(model.intervals, load));
    this.billed = Float64Array.from(model.determinants, (d) => Math.max(d.floor.floorKw, ...d.intervals.map((k) => this.averages[k])));
  }

  /** The intervals' averages with `kwAt(t)` more load over slots [start, end). */
  private raised(start: number, end: number, kwAt: (t: number) => number): Map<number, number> {
    const raised = new Map<number, number>();
    for (let t = start; t < end; t++) {
      const kw = kwAt(t);
      if (kw === 0) continue;
      for (const [k, w] of this.bySlot[t]) raised.set(k, (raised.get(k) ?? this.averages[k]) + w * kw);
    }
    return raised;
  }

  /** What the demand charges would rise by (rate × kW above each billed peak) with that load added. */
  liftCost(start: number, end: number, kwAt: (t: number) => number): number {
    const rise = new Float64Array(this.billed.length);
    for (const [k, average] of this.raised(start, end, kwAt))
      for (const d of this.byInterval[k]) rise[d] = Math.max(rise[d], average - this.billed[d]);
    return rise.reduce((sum, up, d) => sum + Math.max(0, up) * this.model.determinants[d].rate, 0);
  }

  /** Adds the load for good. */
  add(start: number, end: number, kwAt: (t: number) => number): void {
    for (const [k, average] of this.raised(start, end, kwAt)) {
      this.averages[k] = average;
      for (const d of this.byInterval[k]) this.billed[d] = Math.max(this.billed[d], average);
    }
  }
}

/** Per slot, the demand intervals it is part of and its weight in each (built once per model). */
export function slotIntervals(model: DemandModel, slotCount: number): [number, number][][] {
  const cached = slotIntervalCache.get(model);
  if (cached) return cached;
  const bySlot: [number, number][][] = Array.from({ length: slotCount }, () => []);
  model.intervals.forEach((interval, k) => {
    for (const [slot, weight] of intervalWeights(interval)) bySlot[slot].push([k, weight]);
  });
  slotIntervalCache.set(model, bySlot);
  return bySlot;
}

const slotIntervalCache = new WeakMap<DemandModel, [number, number][][]>();

/**
 * Whether adding `kwAt(t)` over slots [start, end) to `load` takes a demand interval's average
 * above `limitKw`: the contractual limit is on interval averages, like the demand charges.
 */
export function overLimitOnAverage(
  model: DemandModel,
  load: ArrayLike<number>,
  start: number,
  end: number,
  kwAt: (t: number) => number,
  limitKw: number,
): boolean {
  const bySlot = slotIntervals(model, load.length);
  const added = new Map<number, number>();
  for (let t = start; t < end; t++) for (const [k, w] of bySlot[t]) added.set(k, (added.get(k) ?? 0) + w * kwAt(t));
  for (const [k, extra] of added) {
    const average = intervalAverages([model.intervals[k]], load)[0];
    if (average + extra > limitKw + 1e-9) return true;
  }
  return false;
}
