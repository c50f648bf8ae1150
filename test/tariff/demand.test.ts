import { describe, expect, it } from 'vitest';
import { BillingInputSchema, demandBill, demandFloors, type FloorInputs } from '../../domain/billing.ts';
import { billingPeriodDays, billingPeriodOf } from '../../domain/billing-period.ts';
import { demandChargesOf, demandDeterminants, demandIntervals, intervalAverages } from '../../domain/demand.ts';
import { dailyPeaks, demandChargeLines, demandModel, peakIntervalKw } from '../../domain/demand-model.ts';
import { DemandTracker } from '../../domain/load.ts';
import { buildSlotGrid, type SlotGrid } from '../../domain/slot-grid.ts';
import { periodResolver, tariffCalendar, TariffSchema, type Tariff, type TariffInput } from '../../domain/tariff.ts';
import { tariffStep } from './fixtures.ts';

const base: TariffInput = {
  name: 'Demand test',
  timeZone: 'UTC',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '16:00', energyRate: 0.1, category: 'off-peak' },
    { start: '16:00', end: '00:00', energyRate: 0.3, category: 'on-peak' },
  ],
};

const tariffOf = (input: Partial<TariffInput>) => TariffSchema.parse({ ...base, ...input });
const resolver = (tariff: Tariff, grid: SlotGrid) => periodResolver(tariff, tariffCalendar(tariff, grid));
const noHistory = (scheduleDate: string): FloorInputs => ({ scheduleDate, legacy: { incumbentPeakKw: {} }, earlierRuns: [] });

describe('demand charges from the older per-period demand rates', () => {
  it('bills one rate written on every period once, as a facility charge', () => {
    const spec = demandChargesOf(tariffOf({ periods: base.periods.map((p) => ({ ...p, demandRate: 10 })) }));
    expect(spec.charges).toEqual([{ kind: 'facility', rate: 10 }]);
    expect(spec.notes).toEqual(['every period carries the demand rate 10: billed once, as a facility (any-time) demand charge']);
  });

  it('bills differing rates per category, and categories of one rate on one shared peak', () => {
    const example = demandChargesOf(
      tariffOf({
        periods: [
          { start: '00:00', end: '06:00', energyRate: 0.045, demandRate: 8, category: 'off-peak' },
          { start: '06:00', end: '10:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
          { start: '10:00', end: '14:00', energyRate: 0.125, demandRate: 18, category: 'on-peak' },
          { start: '14:00', end: '18:00', energyRate: 0.145, demandRate: 22, category: 'critical' },
          { start: '18:00', end: '00:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
          { dayType: 'weekend', start: '00:00', end: '00:00', energyRate: 0.045, demandRate: 8, category: 'off-peak' },
        ],
      }),
    );
    expect(example.charges).toEqual([
      { kind: 'time_of_use', categories: ['off-peak'], rate: 8 },
      { kind: 'time_of_use', categories: ['mid-peak'], rate: 12 },
      { kind: 'time_of_use', categories: ['on-peak'], rate: 18 },
      { kind: 'time_of_use', categories: ['critical'], rate: 22 },
    ]);
    const shared = demandChargesOf(
      tariffOf({
        periods: [
          { start: '00:00', end: '08:00', energyRate: 0.1, category: 'off-peak' },
          { start: '08:00', end: '16:00', energyRate: 0.2, demandRate: 12, category: 'mid-peak' },
          { start: '16:00', end: '00:00', energyRate: 0.4, demandRate: 12, category: 'on-peak' },
        ],
      }),
    );
    expect(shared.charges).toEqual([{ kind: 'time_of_use', categories: ['mid-peak', 'on-peak'], rate: 12 }]);
    expect(shared.notes).toEqual(["the periods' demand rates are billed as time-of-use demand charges: mid-peak+on-peak at 12"]);
  });

  it('refuses demand written both ways, and time-of-use charges on categories the tariff does not have', () => {
    const result = TariffSchema.safeParse({
      ...base,
      periods: [{ ...base.periods[0], demandRate: 3 }, base.periods[1]],
      demand: { charges: [{ kind: 'time_of_use', categories: ['critical'], rate: 9 }] },
    });
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'periods.0.demandRate: give demand charges either in `demand` or as the periods’ demandRate, not both',
      'demand.charges.0.categories.0: no critical period to bill',
    ]);
  });
});

describe('demand intervals', () => {
  const facility = tariffOf({ demand: { intervalMinutes: 15, charges: [{ kind: 'facility', rate: 10 }] } });

  it('bills a 5-min spike of 6 kW on 5-min slots as its 2 kW quarter-hour average', () => {
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 5);
    const intervals = demandIntervals(grid, resolver(facility, grid), 15, 1);
    expect(intervals).toHaveLength(96);
    expect(intervals[1]).toMatchObject({
      minutes: 15,
      slots: [
        [3, 5],
        [4, 5],
        [5, 5],
      ],
    });
    const load = new Array<number>(grid.slotCount).fill(0);
    load[4] = 6;
    const averages = intervalAverages(intervals, load);
    expect(averages[1]).toBeCloseTo(2, 12);
    expect(Math.max(...averages)).toBeCloseTo(2, 12);
  });

  it('splits 20-min slots over quarter-hours by the minutes each covers', () => {
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 20);
    const intervals = demandIntervals(grid, resolver(facility, grid), 15, 1);
    // 00:15-00:30 takes 5 min of slot 0 (00:00-00:20) and 10 min of slot 1.
    expect(intervals[1].slots).toEqual([
      [0, 5],
      [1, 10],
    ]);
  });

  it('keeps one interval per hourly slot (the four quarter-hours of a slot average the same)', () => {
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 60);
    const intervals = demandIntervals(grid, resolver(facility, grid), 15, 1);
    expect(intervals).toHaveLength(24);
    expect(intervals[16]).toMatchObject({ localStart: '2026-03-10T16:00', category: 'on-peak', minutes: 15, slots: [[16, 15]] });
  });

  it('averages two quarter-hour slots into a 30-min interval', () => {
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 15);
    const intervals = demandIntervals(grid, resolver(facility, grid), 30, 1);
    expect(intervals).toHaveLength(48);
    const load = Array.from({ length: 96 }, (_, t) => (t === 10 ? 300 : 100));
    expect(intervalAverages(intervals, load)[5]).toBe(200);
  });
});

describe('billing periods', () => {
  it('runs from the cycle day to the same day of the next month', () => {
    expect(billingPeriodOf('2026-01-31', 1)).toEqual({ start: '2026-01-01', end: '2026-02-01' });
    expect(billingPeriodOf('2026-11-10', 15)).toEqual({ start: '2026-10-15', end: '2026-11-15' });
    expect(billingPeriodOf('2026-11-15', 15)).toEqual({ start: '2026-11-15', end: '2026-12-15' });
    expect(billingPeriodDays(billingPeriodOf('2028-02-10', 1))).toBe(29);
    expect(billingPeriodDays(billingPeriodOf('2026-02-20', 15))).toBe(28);
  });

  it('bills each charge once per billing period the horizon touches', () => {
    const tariff = tariffOf({
      demand: {
        charges: [
          { kind: 'facility', rate: 10 },
          { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
        ],
      },
    });
    const grid = buildSlotGrid('2026-11-30', 'UTC', 2, 60);
    const spec = demandChargesOf(tariff);
    const determinants = demandDeterminants(spec, demandIntervals(grid, resolver(tariff, grid), 15, 1), 1);
    expect(determinants.map((d) => [d.key, d.intervals.length])).toEqual([
      ['2026-11-01|facility|', 24],
      ['2026-11-01|on-peak|', 8],
      ['2026-12-01|facility|', 24],
      ['2026-12-01|on-peak|', 8],
    ]);
  });
});

describe('the billing period floor', () => {
  const tariff = tariffOf({
    demand: {
      charges: [
        { kind: 'facility', rate: 10 },
        { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
      ],
      ratchet: { percent: 80, months: 11 },
    },
  });
  const grid = buildSlotGrid('2026-11-24', 'UTC', 1, 15);
  const spec = demandChargesOf(tariff);
  const determinants = demandDeterminants(spec, demandIntervals(grid, resolver(tariff, grid), 15, 1), 1);
  const billing = (input: unknown) => BillingInputSchema.parse(input);

  it('takes the metered month-to-date peak, and earlier runs of the days after the reading', () => {
    const metered = billing({ meteredPeak: { asOf: '2026-11-20', facilityKw: 420, byCategoryKw: { 'on-peak': 380 } } });
    const floors = demandFloors(spec, determinants, {
      ...noHistory('2026-11-24'),
      billing: metered,
      earlierRuns: [
        { date: '2026-11-19', peaksKw: { 'facility|': 900 } },
        { date: '2026-11-21', peaksKw: { 'facility|': 400, 'on-peak|': 390 } },
        { date: '2026-11-23', peaksKw: { 'facility|': 450, 'on-peak|': 300 } },
        { date: '2026-11-24', peaksKw: { 'facility|': 999 } },
      ],
    });
    expect(floors.map((f) => [f.monthToDateKw, f.source])).toEqual([
      [450, 'metered+earlier_runs'],
      [390, 'metered+earlier_runs'],
    ]);
    expect(floors[0].detail).toBe(
      'metered 420 kW to 2026-11-20, earlier runs of 2026-11-21, 2026-11-23 planned 450 kW; ratchet 80 %: no peaks of the last 11 months given',
    );
  });

  it("uses the site's earlier runs alone when nothing is metered, and says when nothing is known", () => {
    const runs = [{ date: '2026-11-02', peaksKw: { 'facility|': 300, 'on-peak|': 250 } }];
    expect(demandFloors(spec, determinants, { ...noHistory('2026-11-24'), earlierRuns: runs }).map((f) => [f.floorKw, f.source])).toEqual([
      [300, 'earlier_runs'],
      [250, 'earlier_runs'],
    ]);
    const stale = billing({ meteredPeak: { asOf: '2026-10-31', facilityKw: 420 } });
    const none = demandFloors(spec, determinants, { ...noHistory('2026-11-24'), billing: stale });
    expect(none[0]).toMatchObject({ floorKw: 0, source: 'none' });
    expect(none[0].detail).toBe(
      'no peak known before 2026-11-24 in the billing period (the metered peak as of 2026-10-31 is not of the days before 2026-11-24 in this period); ratchet 80 %: no peaks of the last 11 months given',
    );
  });

  it('takes the older incumbentPeakKw per category (the facility charge the highest of them)', () => {
    const floors = demandFloors(spec, determinants, {
      ...noHistory('2026-11-24'),
      legacy: { incumbentPeakKw: { 'on-peak': 150, 'off-peak': 210 } },
    });
    expect(floors.map((f) => [f.floorKw, f.source])).toEqual([
      [210, 'settings.incumbentPeakKw'],
      [150, 'settings.incumbentPeakKw'],
    ]);
  });

  it("ratchets the facility charge to 80 % of the highest of the last 11 months' peaks", () => {
    // November 2026: the window is December 2025 to October 2026; November 2025's 900 kW is out of it.
    const past = billing({
      pastPeaks: [
        { month: '2025-11', kw: 900 },
        { month: '2026-01', kw: 600 },
        { month: '2026-07', kw: 550 },
      ],
    });
    const floors = demandFloors(spec, determinants, { ...noHistory('2026-11-24'), billing: past });
    expect(floors[0]).toMatchObject({ ratchetKw: 480, floorKw: 480 });
    expect(floors[0].detail).toContain('ratchet 80 % of 600 kW (2026-01) = 480 kW');
    expect(floors[1]).toMatchObject({ ratchetKw: 0, floorKw: 0 });
  });

  it('applies the older settings ratchet (percent of a given peak) to every charge', () => {
    const floors = demandFloors(spec, determinants, {
      ...noHistory('2026-11-24'),
      legacy: { incumbentPeakKw: {}, demandRatchet: { percent: 75, peakKw: 200 } },
    });
    expect(floors.map((f) => f.floorKw)).toEqual([150, 150]);
  });

  it('has no floor on the first day of a billing period', () => {
    const first = buildSlotGrid('2026-12-01', 'UTC', 1, 15);
    const dets = demandDeterminants(spec, demandIntervals(first, resolver(tariff, first), 15, 1), 1);
    const metered = billing({ meteredPeak: { asOf: '2026-11-30', facilityKw: 420 } });
    expect(demandFloors(spec, dets, { ...noHistory('2026-12-01'), billing: metered })[0]).toMatchObject({ floorKw: 0, source: 'none' });
  });
});

describe("a plan's demand bill", () => {
  it('pays only for raising the billing period peak, each charge on its own intervals', () => {
    const tariff = tariffOf({
      demand: {
        charges: [
          { kind: 'facility', rate: 10 },
          { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
        ],
      },
    });
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 5);
    const model = demandModel(tariff, grid, resolver(tariff, grid), {
      ...noHistory('2026-03-10'),
      billing: BillingInputSchema.parse({ meteredPeak: { asOf: '2026-03-09', facilityKw: 125, byCategoryKw: { 'on-peak': 110 } } }),
    });
    const load = new Array<number>(grid.slotCount).fill(100);
    load[3] = 160; // 00:15-00:20: the 00:15 quarter-hour averages (160 + 100 + 100) / 3 = 120 kW
    for (const t of [204, 205, 206]) load[t] = 130; // 17:00-17:15 on-peak at 130 kW
    const lines = demandChargeLines(model, load);
    expect(lines.map((l) => [l.label, l.peakKw, l.peakAt, l.floorKw, l.billedKw, l.raisedKw, l.cost, l.periodCharge])).toEqual([
      ['facility', 130, '2026-03-10T17:00', 125, 130, 5, 50, 1300],
      ['on-peak', 130, '2026-03-10T17:00', 110, 130, 20, 100, 650],
    ]);
    expect(peakIntervalKw(model, load)).toBe(130);
    // Below the floor the plan adds nothing.
    expect(demandBill(10, 125, 120)).toEqual({ billedKw: 125, raisedKw: 0, periodCharge: 1250, cost: 0 });
  });
});

describe("a run's peaks for the runs after it", () => {
  it('gives each local day its peak per charge, the days of a two-day run apart', () => {
    const tariff = tariffOf({
      demand: {
        charges: [
          { kind: 'facility', rate: 10 },
          { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
        ],
      },
    });
    const grid = buildSlotGrid('2026-03-10', 'UTC', 2, 60);
    const model = demandModel(tariff, grid, resolver(tariff, grid), noHistory('2026-03-10'));
    const load = Array.from({ length: 48 }, (_, t) => (t === 3 ? 250 : t === 18 ? 180 : t === 24 + 20 ? 140 : 100));
    expect(dailyPeaks(model, load)).toEqual([
      { date: '2026-03-10', peaksKw: { 'facility|': 250, 'on-peak|': 180 } },
      { date: '2026-03-11', peaksKw: { 'facility|': 140, 'on-peak|': 140 } },
    ]);
  });
});

describe('the demand tracker of the heuristics', () => {
  it('prices a run by the rise of each charge over its floor, on interval averages', () => {
    const tariff = tariffOf({
      demand: {
        charges: [
          { kind: 'facility', rate: 10 },
          { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
        ],
      },
    });
    const grid = buildSlotGrid('2026-03-10', 'UTC', 1, 5);
    const model = demandModel(tariff, grid, resolver(tariff, grid), {
      ...noHistory('2026-03-10'),
      billing: BillingInputSchema.parse({ meteredPeak: { asOf: '2026-03-09', byCategoryKw: { 'on-peak': 130 } } }),
    });
    const tracker = new DemandTracker(model, new Array<number>(grid.slotCount).fill(100));
    expect([...tracker.billed]).toEqual([130, 130]); // the facility floor is the highest category peak metered
    // 60 kW for 5 min at 00:15: the quarter-hour averages 120 kW, under both floors.
    expect(tracker.liftCost(3, 4, () => 60)).toBe(0);
    // 90 kW for the whole quarter-hour at 17:00: 190 kW, 60 over both floors: 60 × 10 + 60 × 5.
    expect(tracker.liftCost(204, 207, () => 90)).toBeCloseTo(900, 9);
    tracker.add(204, 207, () => 90);
    expect([...tracker.billed]).toEqual([190, 190]);
    // 30 kW more for 5 min of that quarter-hour: +10 kW on the average.
    expect(tracker.liftCost(205, 206, () => 30)).toBeCloseTo(150, 9);
  });
});

describe('the tariff step', () => {
  it('carries demand charges written as `demand` as determinants of the billing periods the horizon touches', () => {
    const tariff = tariffOf({
      demand: {
        intervalMinutes: 30,
        charges: [
          { kind: 'facility', rate: 10 },
          { kind: 'time_of_use', categories: ['on-peak'], rate: 5 },
        ],
      },
    });
    // Two days across the end of March: each charge once per billing period.
    const { demand } = tariffStep(tariff, '2026-03-31', 2);
    expect(demand.intervalMinutes).toBe(30);
    expect(demand.intervals).toHaveLength(96);
    expect(demand.determinants.map((d) => [d.key, d.intervals.length, d.floor.source])).toEqual([
      ['2026-03-01|facility|', 48, 'none'],
      ['2026-03-01|on-peak|', 16, 'none'],
      ['2026-04-01|facility|', 48, 'none'],
      ['2026-04-01|on-peak|', 16, 'none'],
    ]);
  });
});
