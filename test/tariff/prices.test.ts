import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { averagePrice, PriceSeriesSchema } from '../../domain/price-series.ts';
import { buildSlotGrid } from '../../domain/slot-grid.ts';
import { classifySlots, TariffSchema, type TariffInput } from '../../domain/tariff.ts';
import { tariffStep } from './fixtures.ts';

/** Quarter-hour prices for 2 March 2026 (UTC): 0.10, 0.20, 0.30, 0.40, repeating every hour. */
const quarterHourPrices = Array.from({ length: 96 }, (_, k) => [0.1, 0.2, 0.3, 0.4][k % 4]);

const realTime = (extra: Partial<TariffInput> = {}, series: Record<string, unknown> = {}): TariffInput => ({
  name: 'RTP',
  timeZone: 'UTC',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '12:00', energyRate: 0.02, category: 'off-peak' },
    { start: '12:00', end: '00:00', energyRate: 0.05, category: 'on-peak' },
  ],
  priceSeries: { kind: 'real_time', start: '2026-03-02T00:00:00Z', intervalMinutes: 15, prices: quarterHourPrices, ...series },
  ...extra,
});

describe('price series', () => {
  it('gives a 5-min grid the 15-min prices exactly, each price three slots long', () => {
    const slots = classifySlots(TariffSchema.parse(realTime()), buildSlotGrid('2026-03-02', 'UTC', 1, 5));
    expect(slots).toHaveLength(288);
    expect(slots.slice(0, 12).map((s) => s.energyRate)).toEqual([0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4]);
  });

  it('gives an hourly grid the time-weighted average of the four quarter-hour prices', () => {
    const slots = classifySlots(TariffSchema.parse(realTime()), buildSlotGrid('2026-03-02', 'UTC', 1, 60));
    // (0.1 + 0.2 + 0.3 + 0.4) / 4 = 0.25 in every hour: not the first quarter's 0.1.
    for (const s of slots) expect(s.energyRate).toBeCloseTo(0.25, 12);
  });

  it('weights the prices a 20-min slot covers by the minutes of each', () => {
    const series = PriceSeriesSchema.parse(realTime().priceSeries);
    const t0 = Date.parse('2026-03-02T00:00:00Z');
    // 00:20-00:40: 10 min at 0.2 and 10 min at 0.3.
    expect(averagePrice(series, t0 + 20 * 60_000, t0 + 40 * 60_000)).toBeCloseTo(0.25, 12);
    // 00:00-00:20: 15 min at 0.1 and 5 min at 0.2 = (1.5 + 1.0) / 20.
    expect(averagePrice(series, t0, t0 + 20 * 60_000)).toBeCloseTo(0.125, 12);
    expect(averagePrice(series, t0 - 60_000, t0 + 60_000)).toBeUndefined();
  });

  it('adds the market price to the period rate when the tariff says so (delivery charges on top)', () => {
    const slots = classifySlots(TariffSchema.parse(realTime({}, { combine: 'add' })), buildSlotGrid('2026-03-02', 'UTC', 1, 15));
    expect(slots[0].energyRate).toBeCloseTo(0.12, 12);
    expect(slots[48 + 3].energyRate).toBeCloseTo(0.45, 12);
  });

  it('refuses a series that does not cover the horizon (E006), naming the field and both spans', () => {
    const run = () => tariffStep(TariffSchema.parse(realTime()), '2026-03-02', 2);
    expect(run).toThrow(DomainError);
    expect(run).toThrow(
      'no prices for the whole horizon: tariff.priceSeries: covers 2026-03-02T00:00:00Z to 2026-03-03T00:00:00.000Z, the horizon runs from 2026-03-02T00:00:00.000Z to 2026-03-04T00:00:00.000Z',
    );
  });

  it('keeps only the prices of the horizon in the tariff step output', () => {
    const week = realTime({}, { start: '2026-03-01T00:00:00Z', prices: Array.from({ length: 96 * 7 }, (_, k) => k / 1000) });
    const out = tariffStep(TariffSchema.parse(week), '2026-03-02');
    expect(out.tariff.priceSeries?.start).toBe('2026-03-02T00:00:00.000Z');
    expect(out.tariff.priceSeries?.prices).toHaveLength(96);
    expect(out.tariff.priceSeries?.prices[0]).toBe(0.096);
    expect(out.slots[95].energyRate).toBe(0.191);
  });

  it('rejects prices without an offset and absurd values, with the field path', () => {
    const result = TariffSchema.safeParse(realTime({}, { start: '2026-03-02T00:00', prices: [0.1, 1e6] }));
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'priceSeries.start: must be an ISO 8601 date-time with its offset, e.g. 2026-11-24T00:00:00-06:00',
      'priceSeries.prices.1: Too big: expected number to be <=100',
    ]);
  });
});
