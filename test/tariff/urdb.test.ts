import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importUrdb } from '../../activities/tariff/urdb.ts';
import { demandChargeLines, demandModel } from '../../domain/demand-model.ts';
import { DomainError } from '../../domain/errors.ts';
import { buildSlotGrid } from '../../domain/slot-grid.ts';
import { classifySlots, periodResolver, tariffCalendar } from '../../domain/tariff.ts';
import { CALIFORNIA_UTILITY_HOLIDAYS } from './fixtures.ts';

const example = (file: string) => JSON.parse(readFileSync(new URL(`../../examples/tariffs/${file}`, import.meta.url), 'utf8'));
const PACIFIC = 'America/Los_Angeles';

/** The smallest record the import accepts: one flat energy rate all year. */
const flatRecord = (extra: Record<string, unknown> = {}) => ({
  name: 'Flat',
  utility: 'Test Utility',
  startdate: 1767225600, // 2026-01-01T00:00:00Z
  energyratestructure: [[{ rate: 0.1, unit: 'kWh' }]],
  energyweekdayschedule: Array.from({ length: 12 }, () => Array(24).fill(0)),
  energyweekendschedule: Array.from({ length: 12 }, () => Array(24).fill(0)),
  ...extra,
});

describe('URDB import: PG&E B-19 Secondary', () => {
  const { tariff, notes } = importUrdb(example('pge-b19-secondary.urdb.json'), { timeZone: PACIFIC });

  it('takes seasons from the months whose schedules differ, a winter across the new year included', () => {
    expect(tariff.seasons).toEqual([
      { name: 'Mar-May', from: '03-01', to: '05-31' },
      { name: 'Jun-Sep', from: '06-01', to: '09-30' },
      { name: 'Oct-Feb', from: '10-01', to: '02-29' },
    ]);
    expect(tariff).toMatchObject({ effectiveDate: '2023-03-01', utilityProvider: 'Pacific Gas & Electric Co', currency: 'USD' });
    expect(tariff.expiryDate).toBeUndefined();
    expect(tariff.fixedCharges).toEqual([{ name: 'customer charge', amount: 1341.52, per: 'month' }]);
  });

  it('prices a summer weekday from its 12 × 24 schedule: peak 4-9 pm, part-peak either side', () => {
    const slots = classifySlots(tariff, buildSlotGrid('2023-07-12', PACIFIC, 1, 60));
    expect(slots.map((s) => s.energyRate)).toEqual([
      ...Array(14).fill(0.11974),
      0.15104,
      0.15104,
      ...Array(5).fill(0.19371),
      0.15104,
      0.15104,
      0.11974,
    ]);
    expect(slots[17]).toMatchObject({ season: 'Jun-Sep', category: 'on-peak' });
    expect(slots[14].category).toBe('mid-peak');
  });

  it('has the spring super off-peak 9 am-2 pm only in March to May', () => {
    const april = classifySlots(tariff, buildSlotGrid('2024-04-10', PACIFIC, 1, 60));
    expect(april[10]).toMatchObject({ season: 'Mar-May', energyRate: 0.07891 });
    const november = classifySlots(tariff, buildSlotGrid('2024-11-13', PACIFIC, 1, 60));
    expect(november[10]).toMatchObject({ season: 'Oct-Feb', energyRate: 0.12128 });
    expect(notes).toContain('categories in Mar-May follow the demand periods: 2.17/kW on-peak, the rest off-peak');
  });

  it('bills the maximum demand all year and the summer peak and part-peak demand on their own peaks', () => {
    expect(tariff.demand).toEqual({
      intervalMinutes: 15,
      charges: [
        { kind: 'facility', rate: 36.34, name: 'maximum demand' },
        { kind: 'time_of_use', categories: ['on-peak'], rate: 2.17, season: 'Mar-May' },
        { kind: 'time_of_use', categories: ['mid-peak'], rate: 5.52, season: 'Jun-Sep' },
        { kind: 'time_of_use', categories: ['on-peak'], rate: 25.35, season: 'Jun-Sep' },
        { kind: 'time_of_use', categories: ['on-peak'], rate: 2.17, season: 'Oct-Feb' },
      ],
    });
    const grid = buildSlotGrid('2023-07-12', PACIFIC, 1, 15);
    const model = demandModel(tariff, grid, periodResolver(tariff, tariffCalendar(tariff, grid)), {
      scheduleDate: '2023-07-12',
      legacy: { incumbentPeakKw: {} },
      earlierRuns: [],
    });
    expect(model.determinants.map((d) => [d.label, d.rate, d.intervals.length])).toEqual([
      ['maximum demand', 36.34, 96],
      ['mid-peak (Jun-Sep)', 5.52, 16],
      ['on-peak (Jun-Sep)', 25.35, 20],
    ]);
    // 200 kW all day, 300 kW from 15:00 to 15:30 (part-peak): 36.34 × 300 + 5.52 × 300 + 25.35 × 200.
    const load = Array.from({ length: 96 }, (_, t) => (t === 60 || t === 61 ? 300 : 200));
    const lines = demandChargeLines(model, load);
    expect(lines.map((l) => [l.peakKw, l.cost])).toEqual([
      [300, 36.34 * 300],
      [300, 5.52 * 300],
      [200, 25.35 * 200],
    ]);
  });
});

describe('URDB import: SCE TOU-8-D', () => {
  const { tariff, notes } = importUrdb(example('sce-tou-8-d.urdb.json'), {
    timeZone: PACIFIC,
    holidayCalendar: CALIFORNIA_UTILITY_HOLIDAYS,
  });

  it('prices summer 4-9 pm on-peak on weekdays, mid-peak on weekends and holidays', () => {
    // Monday 3 July 2023 is a weekday, Tuesday 4 July a holiday, Saturday 8 July a weekend day.
    const week = classifySlots(tariff, buildSlotGrid('2023-07-03', PACIFIC, 6, 60));
    expect(week[17]).toMatchObject({ dayType: 'weekday', energyRate: 0.17384, category: 'on-peak' });
    expect(week[24 + 17]).toMatchObject({ dayType: 'holiday', energyRate: 0.12153, category: 'mid-peak' });
    expect(week[5 * 24 + 17]).toMatchObject({ dayType: 'weekend', energyRate: 0.12153, category: 'mid-peak' });
  });

  it('labels the winter periods by energy rate, and says so', () => {
    const winter = classifySlots(tariff, buildSlotGrid('2023-12-06', PACIFIC, 1, 60));
    expect([winter[3], winter[10], winter[18]].map((s) => [s.energyRate, s.category])).toEqual([
      [0.09112, 'mid-peak'],
      [0.06124, 'off-peak'],
      [0.13201, 'on-peak'],
    ]);
    expect(notes).toContain('categories in Oct-May follow the energy rates: 0.06124 off-peak, 0.09112 mid-peak, 0.13201 on-peak');
    expect(tariff.demand?.charges.map((c) => c.rate)).toEqual([19.43, 6.37, 26.1]);
  });
});

describe('URDB import: what it cannot carry over, and bad records', () => {
  it('notes tiers, minimum charges, other units and ratchets, and reads fixed charges per day', () => {
    const { tariff, notes } = importUrdb(
      flatRecord({
        energyratestructure: [[{ rate: 0.1, max: 1000, unit: 'kWh' }, { rate: 0.08 }]],
        fixedchargefirstmeter: 12.5,
        fixedchargeunits: '$/day',
        mincharge: 200,
        minchargeunits: '$/month',
        flatdemandstructure: [[{ rate: 9 }]],
        flatdemandmonths: Array(12).fill(0),
        flatdemandunit: 'kVA',
        demandratchetpercentage: Array(12).fill(80),
        enddate: 1798761600, // 2027-01-01T00:00:00Z
      }),
      { timeZone: 'UTC' },
    );
    expect(tariff.periods.map((p) => p.energyRate)).toEqual([0.1, 0.1]);
    expect(tariff.fixedCharges).toEqual([{ name: 'customer charge', amount: 12.5, per: 'day' }]);
    expect(tariff.demand).toEqual({
      intervalMinutes: 15,
      charges: [{ kind: 'facility', rate: 9, name: 'maximum demand' }],
      ratchet: { percent: 80, months: 11, appliesTo: 'facility' },
    });
    expect(tariff).toMatchObject({ effectiveDate: '2026-01-01', expiryDate: '2026-12-31' });
    expect(notes).toEqual([
      'categories follow the energy rates: 0.1 off-peak',
      "energy period 0 has 2 tiers (not modelled): its first tier's rate 0.1 applies to all energy",
      'the record gives no ratchet window: the last 11 months are assumed',
      'minimum charge 200 $/month not modelled',
      'flatdemandunit kVA read as kW',
    ]);
  });

  it('names the field and the hour of a schedule entry that points at no period', () => {
    const bad = flatRecord();
    (bad.energyweekdayschedule as number[][])[6][17] = 3;
    const run = () => importUrdb(bad, { timeZone: 'UTC' });
    expect(run).toThrow(DomainError);
    expect(run).toThrow('invalid URDB record: urdb.energyweekdayschedule[6][17]: period 3 is not in the rate structure (1 periods)');
  });

  it('asks which record to take from a response with several, listing their labels', () => {
    const run = () => importUrdb({ items: [flatRecord({ label: 'a1' }), flatRecord({ label: 'b2' })] }, { timeZone: 'UTC' });
    expect(run).toThrow('invalid URDB document: urdb.items: has 2 rates: name one by label (a1, b2)');
    const picked = importUrdb(
      { items: [flatRecord({ label: 'a1' }), flatRecord({ label: 'b2', name: 'Second' })] },
      { timeZone: 'UTC', label: 'b2' },
    );
    expect(picked.tariff.name).toBe('Second');
  });

  it('rejects a record with no rates or schedules, and one with no start date unless given one', () => {
    expect(() => importUrdb({ name: 'x', utility: 'y' }, { timeZone: 'UTC' })).toThrow(
      /urdb\.energyratestructure: .*urdb\.energyweekdayschedule/,
    );
    expect(() => importUrdb(flatRecord({ startdate: undefined }), { timeZone: 'UTC' })).toThrow(
      'urdb.startdate: is missing: give effectiveDate',
    );
    expect(importUrdb(flatRecord({ startdate: undefined }), { timeZone: 'UTC', effectiveDate: '2026-05-01' }).tariff.effectiveDate).toBe(
      '2026-05-01',
    );
  });
});
