import { chargeKey, chargeLabel, type DemandCharge, type Ratchet } from './demand-charges.ts';
import { billingPeriodOf, type BillingPeriod } from './billing-period.ts';
import { slotStartMs, type SlotGrid } from './slot-grid.ts';
import { PERIOD_CATEGORIES, type PeriodCategory } from './tariff-categories.ts';
import type { PeriodResolver, Tariff } from './tariff.ts';

const MINUTE_MS = 60_000;

/** The demand charges a tariff bills, however it writes them, with what was read into them. */
export interface DemandSpec {
  intervalMinutes: 15 | 30 | 60;
  charges: DemandCharge[];
  ratchet?: Ratchet;
  /** How the tariff's wording became these charges (the older per-period demand rates). */
  notes: string[];
}

/**
 * The tariff's demand charges. The `demand` block as written; else the periods' demandRate: one
 * rate on every period (the usual way a flat demand charge was written) is one facility charge,
 * billed once; otherwise each category bills its highest rate on its own peak, and categories
 * of equal rate share one charge (one peak over them, billed once). Season by season.
 */
export function demandChargesOf(tariff: Tariff): DemandSpec {
  if (tariff.demand) return { ...tariff.demand, notes: [] };
  const charges: DemandCharge[] = [];
  const notes: string[] = [];
  const seasons = [...new Set(tariff.periods.map((p) => p.season))];
  for (const season of seasons) {
    const periods = tariff.periods.filter((p) => p.season === season);
    const rates = new Map<PeriodCategory, number>();
    for (const p of periods) rates.set(p.category, Math.max(rates.get(p.category) ?? 0, p.demandRate));
    const distinct = [...new Set([...rates.values()].filter((r) => r > 0))];
    const where = season === undefined ? '' : ` in season ${season}`;
    if (distinct.length === 1 && periods.every((p) => p.demandRate === distinct[0])) {
      charges.push({ kind: 'facility', rate: distinct[0], ...(season === undefined ? {} : { season }) });
      notes.push(`every period${where} carries the demand rate ${distinct[0]}: billed once, as a facility (any-time) demand charge`);
      continue;
    }
    for (const rate of distinct) {
      const categories = PERIOD_CATEGORIES.filter((c) => rates.get(c) === rate);
      charges.push({ kind: 'time_of_use', categories, rate, ...(season === undefined ? {} : { season }) });
    }
    if (distinct.length) {
      notes.push(`the periods' demand rates${where} are billed as time-of-use demand charges: ${describe(charges, season)}`);
    }
    const disagree = PERIOD_CATEGORIES.filter((c) => new Set(periods.filter((p) => p.category === c).map((p) => p.demandRate)).size > 1);
    if (disagree.length) notes.push(`periods of ${disagree.join(', ')}${where} differ in demand rate: the highest applies to the category`);
  }
  return { intervalMinutes: 15, charges, notes };
}

const describe = (charges: DemandCharge[], season: string | undefined) =>
  charges
    .filter((c) => c.season === season)
    .map((c) => `${chargeLabel({ ...c, season: undefined })} at ${c.rate}`)
    .join(', ');

/** One demand interval of the grid: its slots with the share of the interval each covers. */
export interface DemandInterval {
  startUtc: string;
  localStart: string;
  /** Its length in minutes (the last one of a horizon may be cut short). */
  minutes: number;
  /** [slot, minutes of the slot in the interval] pairs: the average load is Σ minutes × load[slot] / `minutes`. */
  slots: [number, number][];
  category: PeriodCategory;
  season?: string;
  /** Start date of the billing period the interval falls in. */
  billingPeriod: string;
}

/**
 * The grid's demand intervals (fixed, clock-aligned from local midnight). A slot longer than the
 * interval holds several identical ones: only the first of each run of equal intervals is kept.
 */
export function demandIntervals(grid: SlotGrid, at: PeriodResolver, intervalMinutes: number, cycleStartDay: number): DemandInterval[] {
  const startMs = Date.parse(grid.startUtc);
  const slotMs = grid.slotMinutes * MINUTE_MS;
  const gridEndMs = startMs + grid.slotCount * slotMs;
  const widthMs = intervalMinutes * MINUTE_MS;
  const out: DemandInterval[] = [];
  let previous = '';
  for (let from = startMs; from < gridEndMs; from += widthMs) {
    const to = Math.min(from + widthMs, gridEndMs);
    const slots: [number, number][] = [];
    for (let slot = Math.floor((from - startMs) / slotMs); slot < grid.slotCount && slotStartMs(grid, slot) < to; slot++) {
      const overlap = Math.min(to, slotStartMs(grid, slot) + slotMs) - Math.max(from, slotStartMs(grid, slot));
      if (overlap > 0) slots.push([slot, overlap / MINUTE_MS]);
    }
    const here = at(from);
    const interval: DemandInterval = {
      startUtc: new Date(from).toISOString(),
      localStart: here.local.toFormat("yyyy-MM-dd'T'HH:mm"),
      minutes: (to - from) / MINUTE_MS,
      slots,
      category: here.period.category,
      ...(here.season === undefined ? {} : { season: here.season }),
      billingPeriod: billingPeriodOf(here.local.toISODate()!, cycleStartDay).start,
    };
    const signature = JSON.stringify([slots, interval.category, interval.season, interval.billingPeriod]);
    if (signature !== previous) out.push(interval);
    previous = signature;
  }
  return out;
}

/** The average load of each interval from a per-slot load profile. */
export function intervalAverages(intervals: DemandInterval[], loadKw: ArrayLike<number>): number[] {
  return intervals.map((i) => intervalWeights(i).reduce((sum, [slot, w]) => sum + w * loadKw[slot], 0));
}

/** [slot, share of the interval] pairs, the shares adding up to 1. */
export const intervalWeights = (interval: DemandInterval): [number, number][] =>
  interval.slots.map(([slot, minutes]) => [slot, minutes === interval.minutes ? 1 : minutes / interval.minutes]);

/**
 * What one charge bills in one billing period: the highest average over its intervals, at least
 * `floorKw` (the period's peak so far and the ratchet).
 */
export interface DemandDeterminant {
  /** `<billing period start>|<charge>`: unique within a run. */
  key: string;
  /** The charge's key within the tariff (chargeKey), the same in every billing period. */
  charge: string;
  label: string;
  kind: DemandCharge['kind'];
  categories?: PeriodCategory[];
  season?: string;
  rate: number;
  billingPeriod: BillingPeriod;
  /** Indices into the grid's demand intervals. */
  intervals: number[];
}

/** Each charge's determinant in each billing period the grid touches (a charge with no interval in the grid bills nothing here). */
export function demandDeterminants(spec: DemandSpec, intervals: DemandInterval[], cycleStartDay: number): DemandDeterminant[] {
  const periods = [...new Set(intervals.map((i) => i.billingPeriod))];
  const out: DemandDeterminant[] = [];
  for (const start of periods) {
    for (const charge of spec.charges) {
      const covered = intervals.flatMap((interval, k) => (interval.billingPeriod === start && applies(charge, interval) ? [k] : []));
      if (!covered.length || charge.rate <= 0) continue;
      out.push({
        key: `${start}|${chargeKey(charge)}`,
        charge: chargeKey(charge),
        label: chargeLabel(charge),
        kind: charge.kind,
        ...(charge.kind === 'time_of_use' ? { categories: charge.categories } : {}),
        ...(charge.season === undefined ? {} : { season: charge.season }),
        rate: charge.rate,
        billingPeriod: billingPeriodOf(start, cycleStartDay),
        intervals: covered,
      });
    }
  }
  return out;
}

const applies = (charge: DemandCharge, interval: DemandInterval) =>
  (charge.season === undefined || charge.season === interval.season) &&
  (charge.kind === 'facility' || charge.categories.includes(interval.category));

/** The highest interval average of each determinant, and where it is reached (first interval). */
export function determinantPeaks(determinants: DemandDeterminant[], averages: number[]): { peakKw: number; interval: number }[] {
  return determinants.map((d) => {
    let best = { peakKw: 0, interval: d.intervals[0] };
    for (const k of d.intervals) if (averages[k] > best.peakKw + 1e-12) best = { peakKw: averages[k], interval: k };
    return best;
  });
}
