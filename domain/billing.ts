import { z } from 'zod';
import { previousBillingPeriods, type BillingPeriod } from './billing-period.ts';
import type { DemandDeterminant, DemandSpec } from './demand.ts';
import { PeriodCategorySchema, type PeriodCategory } from './tariff-categories.ts';
import { LocalDateSchema } from './time.ts';

/** The billing period's peak so far as the meter has it (the utility's interval data, a BMS pull). */
export const MeteredPeakSchema = z
  .object({
    /** The last local date the reading covers. */
    asOf: LocalDateSchema,
    /** Highest interval-average load at any time so far, kW. */
    facilityKw: z.number().min(0).optional(),
    /** Highest interval-average load in each time-of-use category so far, kW. */
    byCategoryKw: z.partialRecord(PeriodCategorySchema, z.number().min(0)).default({}),
  })
  .strict();
export type MeteredPeak = z.output<typeof MeteredPeakSchema>;

/** What the run knows about the site's billing beyond the tariff: metered peaks and past months' peaks. */
export const BillingInputSchema = z
  .object({
    meteredPeak: MeteredPeakSchema.optional(),
    /** Highest demand of earlier billing periods (by the month each started in), for the tariff's ratchet. */
    pastPeaks: z
      .array(z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'), kw: z.number().min(0) }).strict())
      .default([]),
  })
  .strict();
export type BillingInput = z.output<typeof BillingInputSchema>;

/** The peak a run planned for one local day, per demand charge (chargeKey): a later run of the billing period takes it as a floor. */
export const EarlierRunPeaksSchema = z.object({ date: LocalDateSchema, peaksKw: z.record(z.string(), z.number()) });
export type EarlierRunPeaks = z.infer<typeof EarlierRunPeaksSchema>;

/** The older settings that carried a peak so far per category and a ratchet on a given peak. */
export interface LegacyBillingSettings {
  incumbentPeakKw: Partial<Record<PeriodCategory, number>>;
  demandRatchet?: { percent: number; peakKw: number };
}

/** The least kW a determinant bills whatever the plan does, and where that comes from. */
export interface DemandFloor {
  /** The billing period's peak before this run's first day. */
  monthToDateKw: number;
  /** Where `monthToDateKw` comes from: `metered`, `earlier_runs`, `metered+earlier_runs`, `settings.incumbentPeakKw` or `none`. */
  source: 'metered' | 'earlier_runs' | 'metered+earlier_runs' | 'settings.incumbentPeakKw' | 'none';
  ratchetKw: number;
  floorKw: number;
  detail: string;
}

export interface FloorInputs {
  scheduleDate: string;
  billing?: BillingInput;
  legacy: LegacyBillingSettings;
  earlierRuns: EarlierRunPeaks[];
}

/** Each determinant's floor: the higher of its billing period's peak so far and the ratchet. */
export function demandFloors(spec: DemandSpec, determinants: DemandDeterminant[], inputs: FloorInputs): DemandFloor[] {
  return determinants.map((d) => {
    const mtd = monthToDate(d, inputs);
    const ratchet = ratchetFloor(spec, d, inputs);
    const floorKw = Math.max(mtd.kw, ratchet.kw);
    return {
      monthToDateKw: mtd.kw,
      source: mtd.source,
      ratchetKw: ratchet.kw,
      floorKw,
      detail: [mtd.detail, ratchet.detail].filter(Boolean).join('; '),
    };
  });
}

const inPeriod = (date: string, period: BillingPeriod) => date >= period.start && date < period.end;

/** The peak of a charge in a reading that has facility and per-category peaks (undefined when it has nothing for the charge). */
function chargePeak(d: DemandDeterminant, facilityKw: number | undefined, byCategory: Partial<Record<PeriodCategory, number>>) {
  if (d.kind === 'facility') {
    const categories = Object.values(byCategory).filter((v): v is number => v !== undefined);
    return facilityKw ?? (categories.length ? Math.max(...categories) : undefined);
  }
  const mine = d.categories!.flatMap((c) => (byCategory[c] === undefined ? [] : [byCategory[c]!]));
  return mine.length ? Math.max(...mine) : undefined;
}

function monthToDate(d: DemandDeterminant, inputs: FloorInputs): { kw: number; source: DemandFloor['source']; detail: string } {
  const { scheduleDate, billing, legacy, earlierRuns } = inputs;
  // A billing period that starts within the horizon has no peak before it.
  if (!inPeriod(scheduleDate, d.billingPeriod) || scheduleDate === d.billingPeriod.start) {
    return { kw: 0, source: 'none', detail: `the billing period starting ${d.billingPeriod.start} has no earlier day` };
  }
  const chargeKey = d.charge;
  const metered = billing?.meteredPeak;
  const usable = metered && inPeriod(metered.asOf, d.billingPeriod) && metered.asOf < scheduleDate ? metered : undefined;
  const meteredKw = usable ? chargePeak(d, usable.facilityKw, usable.byCategoryKw) : undefined;
  // Days after the meter reading (or all earlier days without one) count with their planned peaks.
  const runs = earlierRuns.filter(
    (r) =>
      inPeriod(r.date, d.billingPeriod) && r.date < scheduleDate && (!usable || r.date > usable.asOf) && r.peaksKw[chargeKey] !== undefined,
  );
  const runKw = runs.length ? Math.max(...runs.map((r) => r.peaksKw[chargeKey])) : undefined;
  const runDetail = runs.length ? `earlier runs of ${runs.map((r) => r.date).join(', ')} planned ${round(runKw!)} kW` : '';
  if (meteredKw !== undefined) {
    const kw = Math.max(meteredKw, runKw ?? 0);
    const detail = [`metered ${round(meteredKw)} kW to ${usable!.asOf}`, runDetail].filter(Boolean).join(', ');
    return { kw, source: runKw === undefined ? 'metered' : 'metered+earlier_runs', detail };
  }
  if (runKw !== undefined) return { kw: runKw, source: 'earlier_runs', detail: runDetail };
  const legacyKw = chargePeak(d, undefined, legacy.incumbentPeakKw);
  if (legacyKw !== undefined) return { kw: legacyKw, source: 'settings.incumbentPeakKw', detail: `incumbent peak ${round(legacyKw)} kW` };
  const ignored =
    metered && !usable ? ` (the metered peak as of ${metered.asOf} is not of the days before ${scheduleDate} in this period)` : '';
  return { kw: 0, source: 'none', detail: `no peak known before ${scheduleDate} in the billing period${ignored}` };
}

/** The ratchet's floor: the tariff's (percent of the highest past peak in its window) or the older settings' (percent of a given peak). */
function ratchetFloor(spec: DemandSpec, d: DemandDeterminant, inputs: FloorInputs): { kw: number; detail: string } {
  const legacy = inputs.legacy.demandRatchet;
  if (legacy) {
    const kw = (legacy.percent / 100) * legacy.peakKw;
    return { kw, detail: `ratchet ${legacy.percent} % of ${round(legacy.peakKw)} kW = ${round(kw)} kW` };
  }
  const ratchet = spec.ratchet;
  if (!ratchet || (ratchet.appliesTo === 'facility' && d.kind !== 'facility')) return { kw: 0, detail: '' };
  const months = new Set(previousBillingPeriods(d.billingPeriod.start, ratchet.months).map((s) => s.slice(0, 7)));
  const past = (inputs.billing?.pastPeaks ?? []).filter((p) => months.has(p.month));
  if (!past.length) return { kw: 0, detail: `ratchet ${ratchet.percent} %: no peaks of the last ${ratchet.months} months given` };
  const highest = past.reduce((a, b) => (b.kw > a.kw ? b : a));
  const kw = (ratchet.percent / 100) * highest.kw;
  return { kw, detail: `ratchet ${ratchet.percent} % of ${round(highest.kw)} kW (${highest.month}) = ${round(kw)} kW` };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** What a determinant bills: the period's demand after the plan, and what this plan adds to the bill. */
export function demandBill(rate: number, floorKw: number, peakKw: number) {
  const billedKw = Math.max(floorKw, peakKw);
  return { billedKw, raisedKw: billedKw - floorKw, periodCharge: rate * billedKw, cost: rate * (billedKw - floorKw) };
}
