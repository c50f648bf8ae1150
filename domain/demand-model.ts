import { z } from 'zod';
import { demandBill, demandFloors, type DemandFloor, type EarlierRunPeaks, type FloorInputs } from './billing.ts';
import {
  demandChargesOf,
  demandDeterminants,
  demandIntervals,
  determinantPeaks,
  intervalAverages,
  type DemandDeterminant,
  type DemandInterval,
} from './demand.ts';
import type { SlotGrid } from './slot-grid.ts';
import type { PeriodResolver, Tariff } from './tariff.ts';

/** Demand as the tariff bills it over one run's grid: the intervals, and each charge per billing period with its floor. */
export interface DemandModel {
  intervalMinutes: number;
  /** The grid's demand intervals; the contractual peak limit holds on each one's average too. */
  intervals: DemandInterval[];
  determinants: (DemandDeterminant & { floor: DemandFloor })[];
  /** How the tariff's wording was read (older per-period demand rates). */
  notes: string[];
}

export function demandModel(tariff: Tariff, grid: SlotGrid, at: PeriodResolver, inputs: FloorInputs): DemandModel {
  const spec = demandChargesOf(tariff);
  const cycleStartDay = tariff.billingCycleStartDay ?? 1;
  const intervals = demandIntervals(grid, at, spec.intervalMinutes, cycleStartDay);
  const determinants = demandDeterminants(spec, intervals, cycleStartDay);
  const floors = demandFloors(spec, determinants, inputs);
  return {
    intervalMinutes: spec.intervalMinutes,
    intervals,
    determinants: determinants.map((d, i) => ({ ...d, floor: floors[i] })),
    notes: spec.notes,
  };
}

/** One demand charge of a plan: its peak, the billing period's demand after it, and what the plan adds. */
export const DemandChargeLineSchema = z.object({
  key: z.string(),
  label: z.string(),
  billingPeriod: z.object({ start: z.string(), end: z.string() }),
  rate: z.number(),
  /** The plan's highest interval average for the charge, and the local start of that interval. */
  peakKw: z.number(),
  peakAt: z.string(),
  /** The least kW the period bills whatever the plan does (its peak so far, the ratchet), and where that comes from. */
  floorKw: z.number(),
  floorSource: z.enum(['metered', 'earlier_runs', 'metered+earlier_runs', 'settings.incumbentPeakKw', 'none']),
  floorDetail: z.string(),
  /** The billing period's demand with this plan: max(floor, peak). */
  billedKw: z.number(),
  /** What the plan raises the period's demand by, and its cost (the plan's share of the bill). */
  raisedKw: z.number(),
  cost: z.number(),
  /** The whole billing period's charge at billedKw (for the report; the period's other days included). */
  periodCharge: z.number(),
});
export type DemandChargeLine = z.infer<typeof DemandChargeLineSchema>;

/** Prices demand for a load profile: each determinant's peak over its intervals, billed only above its floor. */
export function demandChargeLines(model: DemandModel, loadKw: number[]): DemandChargeLine[] {
  const averages = intervalAverages(model.intervals, loadKw);
  const peaks = determinantPeaks(model.determinants, averages);
  return model.determinants.map((d, i) => {
    const bill = demandBill(d.rate, d.floor.floorKw, peaks[i].peakKw);
    return {
      key: d.key,
      label: d.label,
      billingPeriod: d.billingPeriod,
      rate: d.rate,
      peakKw: peaks[i].peakKw,
      peakAt: model.intervals[peaks[i].interval].localStart,
      floorKw: d.floor.floorKw,
      floorSource: d.floor.source,
      floorDetail: d.floor.detail,
      ...bill,
    };
  });
}

/** Each local day's peak per charge (chargeKey) in a plan: what a later run of the billing period takes as its floor. */
export function dailyPeaks(model: DemandModel, loadKw: number[]): EarlierRunPeaks[] {
  const averages = intervalAverages(model.intervals, loadKw);
  const byDate = new Map<string, Record<string, number>>();
  for (const d of model.determinants) {
    for (const k of d.intervals) {
      const date = model.intervals[k].localStart.slice(0, 10);
      const peaks = byDate.get(date) ?? {};
      peaks[d.charge] = Math.max(peaks[d.charge] ?? 0, averages[k]);
      byDate.set(date, peaks);
    }
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([date, peaksKw]) => ({ date, peaksKw }));
}

/** The highest interval average of a load profile (what the contractual limit is measured on). */
export function peakIntervalKw(model: DemandModel, loadKw: number[]): number {
  return Math.max(0, ...intervalAverages(model.intervals, loadKw));
}
